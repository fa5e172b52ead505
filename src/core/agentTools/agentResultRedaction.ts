/**
 * The one redactor every agent tool's result goes through before the language model sees it. It removes the access,
 * refresh and ID tokens, the API secret, any Authorization header, and anything credential-shaped (Bearer/Basic
 * values, JWTs, token parameters and JSON fields): what a model reads ends up in chat history and in other services'
 * logs. Unlike the log's redactor it keeps "code" fields: a gateway error's code is what the model needs.
 */
import { redactEncodedSecrets } from '../text/encodedSecrets';
import { MIN_SECRET_LENGTH, REDACTED, redactSchemesAndJwts, type Redactor } from '../text/redaction';

export interface ResultSecrets {
  /** The extension's redactor: it knows every secret and token the extension has held. */
  readonly known?: Pick<Redactor, 'values'>;
  /** This call's own: the token it sent, a pasted token, its signature. Shorter than 6 characters: ignored. */
  readonly values?: ReadonlyArray<string | undefined>;
}

const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^[ \t]*(?:proxy-)?authorization[ \t]*:.*$/gim, `Authorization: ${REDACTED}`],
  [/"(?:proxy-)?authorization"\s*:\s*"(?:[^"\\]|\\.)*"/gi, `"Authorization":"${REDACTED}"`],
  [/\b(access_token|refresh_token|id_token|client_secret|code_verifier|password)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [
    /"(access_token|refresh_token|id_token|client_secret|code_verifier|apiSecret|api_secret|accessToken|refreshToken|idToken|password)"\s*:\s*"(?:[^"\\]|\\.)*"/gi,
    `"$1":"${REDACTED}"`,
  ],
];

/**
 * Every part with the secrets removed, in the same order: each known secret and call value in any encoding
 * `redactEncodedSecrets` decodes (the whole encoded run that holds one goes), then Basic/Bearer values and JWTs, then the
 * other credential-shaped patterns.
 */
export function redactToolResult(parts: readonly string[], secrets: ResultSecrets): string[] {
  const values = [...(secrets.values ?? []), ...(secrets.known?.values() ?? [])].filter(
    (value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH,
  );
  return parts.map((part) => {
    let text = redactSchemesAndJwts(redactEncodedSecrets(part, values));
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
