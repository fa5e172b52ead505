/**
 * The one redactor every agent tool's result goes through before the language model sees it. It removes the access,
 * refresh and ID tokens, the API secret, any Authorization header, and anything credential-shaped (Bearer/Basic
 * values, JWTs, token parameters and JSON fields): what a model reads ends up in chat history and in other services'
 * logs. Unlike the log's redactor it keeps "code" fields: a gateway error's code is what the model needs.
 */
import { REDACTED, Redactor } from '../text/redaction';

export interface ResultSecrets {
  /** The extension's redactor: it knows every secret and token the extension has held. */
  readonly known?: Pick<Redactor, 'redactSecrets'>;
  /** This call's own: the token it sent, a pasted token, its signature. Shorter than 6 characters: ignored. */
  readonly values?: ReadonlyArray<string | undefined>;
}

const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^[ \t]*(?:proxy-)?authorization[ \t]*:.*$/gim, `Authorization: ${REDACTED}`],
  [/"(?:proxy-)?authorization"\s*:\s*"(?:[^"\\]|\\.)*"/gi, `"Authorization":"${REDACTED}"`],
  [/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(access_token|refresh_token|id_token|client_secret|code_verifier|password)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [
    /"(access_token|refresh_token|id_token|client_secret|code_verifier|apiSecret|api_secret|accessToken|refreshToken|idToken|password)"\s*:\s*"(?:[^"\\]|\\.)*"/gi,
    `"$1":"${REDACTED}"`,
  ],
];

/** Every part with the secrets removed, in the same order. */
export function redactToolResult(parts: readonly string[], secrets: ResultSecrets): string[] {
  const local = new Redactor();
  for (const value of secrets.values ?? []) {
    if (value !== undefined) {
      // As sent, and as it would look base64-encoded (a token inside an encoded blob is still the token).
      local.add(value, Buffer.from(value, 'utf8').toString('base64'), Buffer.from(value, 'utf8').toString('base64url'));
    }
  }
  return parts.map((part) => {
    let text = local.redactSecrets(part);
    text = secrets.known ? secrets.known.redactSecrets(text) : text;
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) {
      text = text.replace(pattern, replacement);
    }
    return text;
  });
}

/** Response headers the model never gets. */
export function withoutCredentialHeaders(headers: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return headers.filter(([name]) => !/^(?:proxy-)?authorization$/i.test(name)).map(([name, value]): [string, string] => [name, value]);
}
