/**
 * Removes secrets from text before it is logged or shown: every secret the extension knows of,
 * and anything shaped like a credential (Basic/Bearer values, JWTs, OAuth parameters).
 */

export const REDACTED = '[redacted]';

const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(access_token|refresh_token|id_token|code|code_verifier|client_secret|state|nonce|password)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [/"(access_token|refresh_token|id_token|code|code_verifier|client_secret|apiSecret|accessToken)"\s*:\s*"[^"]*"/g, `"$1":"${REDACTED}"`],
];

/** Shorter values are not treated as secrets: redacting them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers secrets, raw and URL-encoded, so they are redacted wherever they appear; undefined ones are skipped. */
  add(...secrets: Array<string | undefined>): void {
    for (const secret of secrets) {
      if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) {
        this.secrets.add(secret);
        this.secrets.add(encodeURIComponent(secret));
      }
    }
  }

  redact(text: string): string {
    let result = this.redactSecrets(text);
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }

  /** The remembered secrets only, without the credential-shaped patterns (which also hit e.g. a JSON "code" field). */
  redactSecrets(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(REDACTED);
    }
    return result;
  }
}
