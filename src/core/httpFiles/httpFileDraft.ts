/**
 * A request read from a `.http` file, as Fortellis Auth sends it: the profile's token in Authorization (whatever the
 * file's Authorization line says), a new Request-Id each send (a literal one in the file would repeat), the file's
 * Subscription-Id or else the profile's, Content-Type and Accept as written, and every other header under the rule
 * Call API and the snippets apply (extraHeaderRefusal). A path alone goes under the profile's API base.
 */
import { type RequestDraft } from '../apiRequests/apiRequestSteps';
import { extraHeaderRefusal, FORTELLIS_HEADERS, headerValueRefusal, HTTP_METHODS, METHODS_WITH_BODY } from '../apiRequests/fortellisHeaders';
import { transportProblem } from '../http/urlPolicy';
import { withoutTrailingSlash } from '../profiles/environments';
import { printable } from '../text/printable';
import { type DynamicValues, type HttpFileProblem, type HttpFileRequest, requestAt } from './httpFileRequests';

export type FileDraft =
  | { readonly ok: true; readonly draft: RequestDraft; /** From the file; undefined: the profile's. */ readonly subscriptionId?: string }
  | { readonly ok: false; readonly message: string };

/** The request of the file's block at `line` (0-based) as Send sends it; or why not, at its line. */
export function draftAt(
  text: string,
  line: number,
  values: DynamicValues,
  apiBaseUrl: string,
): Extract<FileDraft, { ok: true }> | { readonly ok: false; readonly problem: HttpFileProblem } {
  const read = requestAt(text, line, values);
  if (!read.ok) {
    return read;
  }
  const drafted = fileDraft(read.request, apiBaseUrl);
  return drafted.ok ? drafted : { ok: false, problem: { line: read.request.line, message: drafted.message } };
}

export function fileDraft(request: HttpFileRequest, apiBaseUrl: string): FileDraft {
  const refused = (message: string): FileDraft => ({ ok: false, message });
  if (!HTTP_METHODS.includes(request.method)) {
    return refused(`${request.method} is not sent by Fortellis Auth: it sends ${HTTP_METHODS.join(', ')}.`);
  }
  const hasBody = request.body !== undefined;
  if (hasBody && !METHODS_WITH_BODY.includes(request.method)) {
    return refused(`A ${request.method} request has no body here: remove the lines after the blank line, or use ${METHODS_WITH_BODY.join(', ')}.`);
  }
  const url = request.url.startsWith('/') ? `${withoutTrailingSlash(apiBaseUrl)}${request.url}` : request.url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refused(`"${printable(url)}" is not a URL: write https://… or a path under the API base (/…).`);
  }
  const insecure = transportProblem(parsed, 'send your token');
  if (insecure) {
    return refused(insecure);
  }
  let subscriptionId: string | undefined;
  let contentType: string | undefined;
  let accept: string | undefined;
  const extraHeaders: Array<readonly [string, string]> = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === FORTELLIS_HEADERS.authorization.toLowerCase() || lower === FORTELLIS_HEADERS.requestId.toLowerCase()) {
      continue;
    }
    const valueRefusal = headerValueRefusal(name, value);
    if (valueRefusal) {
      return refused(valueRefusal);
    }
    if (lower === FORTELLIS_HEADERS.subscriptionId.toLowerCase()) {
      subscriptionId = value;
    } else if (lower === FORTELLIS_HEADERS.accept.toLowerCase()) {
      accept = value;
    } else if (lower === FORTELLIS_HEADERS.contentType.toLowerCase() && hasBody) {
      contentType = value;
    } else {
      const refusal = extraHeaderRefusal(name, hasBody);
      if (refusal) {
        return refused(refusal);
      }
      extraHeaders.push([name, value]);
    }
  }
  const draft: RequestDraft = {
    method: request.method,
    // As the URL parser read it (the host the destination check saw): a `\` or a user part means nothing else to curl.
    url: parsed.href,
    ...(request.body !== undefined && { body: request.body }),
    ...(contentType !== undefined && { contentType }),
    ...(accept !== undefined && { accept }),
    ...(extraHeaders.length > 0 && { extraHeaders }),
  };
  return { ok: true, draft, ...(subscriptionId !== undefined && { subscriptionId }) };
}
