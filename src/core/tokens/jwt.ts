/** The claims of a JWT, decoded without verifying anything: for display only (who signed in, until when). */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const [, payload] = token.split('.');
  if (!payload) {
    return undefined;
  }
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
