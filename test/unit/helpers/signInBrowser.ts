import assert from 'node:assert/strict';

/** Where the authorization server sent the browser at the end of the sign-in, before the callback is loaded. */
export type SignInLanding =
  | { readonly kind: 'redirect'; readonly url: URL }
  /** response_mode=form_post: the provider's page auto-submits these fields to the callback URL. */
  | { readonly kind: 'form-post'; readonly action: string; readonly fields: URLSearchParams };

export interface LoadedPage {
  readonly status: number;
  readonly text: string;
}

/**
 * A browser for oidc-provider's devInteractions pages, driven with fetch: keeps cookies, follows redirects, logs in
 * (any user name; the password is ignored) and consents, or clicks "[ Cancel ]".
 */
export class SignInBrowser {
  private readonly cookies = new Map<string, string>();

  async signIn(authorizeUrl: string, redirectUri: string, { cancel = false } = {}): Promise<SignInLanding> {
    let response = await this.request(authorizeUrl);
    for (let step = 0; step < 10; step += 1) {
      const location = response.headers.get('location');
      if (location?.startsWith(redirectUri)) {
        return { kind: 'redirect', url: new URL(location) };
      }
      if (location) {
        response = await this.request(new URL(location, authorizeUrl).href);
        continue;
      }
      const page = await response.text();
      const formPost = callbackForm(page, redirectUri);
      if (formPost) {
        return formPost;
      }
      response = cancel ? await this.request(new URL(cancelLink(page), authorizeUrl).href) : await this.submitForm(page, authorizeUrl);
    }
    throw new Error('the sign-in never reached the redirect URI');
  }

  private submitForm(page: string, base: string): Promise<Response> {
    const action = /<form [^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    assert.ok(action && prompt, 'a login or consent form');
    return this.request(new URL(action, base).href, prompt === 'login' ? { prompt, login: 'alice', password: 'any' } : { prompt });
  }

  private async request(url: string, form?: Record<string, string>): Promise<Response> {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      body: form && new URLSearchParams(form),
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const equals = pair.indexOf('=');
      this.cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    return response;
  }
}

/**
 * Loads the callback as a browser with JavaScript would: a redirect's URL is fetched without its fragment (browsers
 * never send it); when the answer is the loopback relay page, its script's work is done: the fragment is posted,
 * form-urlencoded, to the form's action. A form_post landing is posted as the provider's page would.
 */
export async function loadCallback(landing: SignInLanding): Promise<LoadedPage> {
  if (landing.kind === 'form-post') {
    return postForm(landing.action, landing.fields);
  }
  const { url } = landing;
  const page = await load(url.href.split('#')[0]);
  const relayAction = /<form id="relay" method="post" action="([^"]+)">/.exec(page.text)?.[1];
  return relayAction ? postForm(new URL(relayAction, url).href, new URLSearchParams(url.hash.slice(1))) : page;
}

export async function load(url: string): Promise<LoadedPage> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

export async function postForm(url: string, fields: URLSearchParams): Promise<LoadedPage> {
  const response = await fetch(url, { method: 'POST', body: fields, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

function callbackForm(page: string, redirectUri: string): SignInLanding | undefined {
  const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
  if (!action || !decodeHtml(action).startsWith(redirectUri)) {
    return undefined;
  }
  const fields = new URLSearchParams();
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    fields.append(name, decodeHtml(value));
  }
  return { kind: 'form-post', action: decodeHtml(action), fields };
}

function cancelLink(page: string): string {
  const href = /<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(page)?.[1];
  assert.ok(href, 'a Cancel link');
  return decodeHtml(href);
}

function decodeHtml(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_entity, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[name] ?? '',
  );
}
