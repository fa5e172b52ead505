/**
 * "Copy as curl": the request that was sent as one curl command, the token read when it runs from the file
 * $FORTELLIS_TOKEN_FILE names (kept fresh, so a terminal opened before a renewal still works), else $FORTELLIS_TOKEN.
 */
import { type ApiRequest, apiRequestHeaders } from '../apiRequests/apiCall';
import { FORTELLIS_HEADERS } from '../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../tokenExport/environmentVariables';
import { BEARER } from '../snippets/snippetRequest';

export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  /** Every header but Authorization. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

/** What Copy as curl copies of a request that was sent: its method, URL, body and every header it was sent with, but not its token. */
export function curlRequestOf(request: ApiRequest): CurlRequest {
  const authorization = FORTELLIS_HEADERS.authorization.toLowerCase();
  return {
    method: request.method.trim().toUpperCase(),
    url: curlUrl(request.url),
    headers: apiRequestHeaders(request).filter(([name]) => name.toLowerCase() !== authorization),
    ...(request.body !== undefined && { body: request.body }),
  };
}

/**
 * The URL as curl must be given it to reach the host the request went to: as the URL parser reads it (curl reads
 * `https://host\path\@other/` as a user part and connects to `other`), and with `[ ] { }` percent-encoded, which curl
 * would otherwise expand into many requests, each with the token.
 */
function curlUrl(url: string): string {
  let href: string;
  try {
    href = new URL(url).href;
  } catch {
    href = url;
  }
  return href.replace(/[[\]{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function curlCommand(request: CurlRequest): string {
  const parts = [
    'curl',
    ...(request.method === 'GET' ? [] : ['-X', request.method]),
    shellQuoted(request.url),
    '-H',
    `"${FORTELLIS_HEADERS.authorization}: ${BEARER} ${TOKEN_WHEN_RUN}"`,
    ...request.headers.flatMap(([name, value]) => ['-H', shellQuoted(`${name}: ${value}`)]),
    ...(request.body !== undefined ? ['--data-raw', shellQuoted(request.body)] : []),
  ];
  return parts.join(' ');
}

/** The token, in a POSIX shell's double quotes: the file's text (its last line break dropped), or the variable. */
const TOKEN_WHEN_RUN = `$(cat "$${ENVIRONMENT_VARIABLES.tokenFile}" 2>/dev/null || printf %s "$${ENVIRONMENT_VARIABLES.token}")`;

/** A POSIX shell word that is exactly `text`. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
