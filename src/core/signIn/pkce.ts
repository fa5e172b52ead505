/** Proof Key for Code Exchange (RFC 7636), S256 only: "plain" gives no protection against an intercepted code. */
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  /** 43 base64url characters (32 random bytes): kept by VS Code, sent only with the code exchange. */
  readonly verifier: string;
  /** Sent in the authorize URL. */
  readonly challenge: string;
  readonly method: 'S256';
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

/** BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
