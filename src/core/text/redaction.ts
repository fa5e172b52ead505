/**
 * Removes secrets from text before it is logged or shown: every secret the extension knows of,
 * and anything shaped like a credential (Basic/Bearer values, JWTs, OAuth parameters).
 */

export const REDACTED = '[redacted]';

const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(access_token|refresh_token|id_token|code|code_verifier|client_secret|state|nonce|password)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [/"(access_token|refresh_token|id_token|code|code_verifier|client_secret|apiSecret|accessToken)"\s*:\s*"[^"]*"/g, `"$1":"${REDACTED}"`],
];

/**
 * Basic and Bearer values, then JWT-shaped strings. In that order: a JWT-shaped run takes the word after its last dot
 * with it ("eyJ….eyJ….Bearer"), which would leave the Bearer value after it in clear.
 */
export function redactSchemesAndJwts(text: string): string {
  return redactJwts(text.replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`));
}

/**
 * JWT-shaped strings (eyJ….….…) replaced, in time linear in the text's length. The regular expression
 * /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\/g did the same but retried from every "-eyJ" in a run, which
 * is quadratic (160 KB of "-eyJ" took 7.6 s). Here each dotted run is read once, segment by segment, with the same
 * result.
 */
export function redactJwts(text: string): string {
  return text.replace(/\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*/g, (run) => {
    const segments = run.split('.');
    const kept: string[] = [];
    for (let i = 0; i < segments.length; i++) {
      const start = jwtStart(segments[i]);
      if (start >= 0 && i + 2 < segments.length && segments[i + 1] !== '') {
        kept.push(segments[i].slice(0, start) + REDACTED);
        i += 2;
      } else {
        kept.push(segments[i]);
      }
    }
    return kept.join('.');
  });
}

/** Where a JWT may start in a dot-free segment: "eyJ" at its start or after a "-" (a word boundary), or -1. */
function jwtStart(segment: string): number {
  for (let at = segment.indexOf('eyJ'); at >= 0; at = segment.indexOf('eyJ', at + 1)) {
    if (at === 0 || segment[at - 1] === '-') {
      return at;
    }
  }
  return -1;
}

/** Shorter values are not treated as secrets: redacting them would mangle ordinary words. */
export const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly remembered = new Set<string>();

  /** Remembers secrets, raw and URL-encoded, so they are redacted wherever they appear; undefined ones are skipped. */
  add(...secrets: Array<string | undefined>): void {
    for (const secret of secrets) {
      if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) {
        this.remembered.add(secret);
        this.secrets.add(secret);
        this.secrets.add(encodeURIComponent(secret));
      }
    }
  }

  /** The secrets remembered, as they were added (for a redactor that also looks for their encoded forms). */
  values(): string[] {
    return [...this.remembered];
  }

  redact(text: string): string {
    let result = redactSchemesAndJwts(this.redactSecrets(text));
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
