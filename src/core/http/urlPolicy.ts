/**
 * The one rule for where a credential may travel: https, or plain http to this machine only (the local sandbox).
 * Token requests, API calls, signing keys, issuer URLs and sign-in pages all apply it from here.
 */

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Why `url` must not carry a credential, or undefined when it may. `purpose` completes "Refusing to … over plain
 * http", e.g. "send your token".
 */
export function transportProblem(url: URL, purpose: string): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `The URL must start with https://, not ${url.protocol}`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `Refusing to ${purpose} over plain http to ${url.host}: use https (http is allowed only on localhost / 127.0.0.1).`;
  }
  return undefined;
}
