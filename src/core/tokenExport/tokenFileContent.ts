/**
 * The contents of a token file the extension keeps fresh: a JSON file (what tutorial scripts call currentToken.json)
 * or the FORTELLIS_TOKEN entry of a .env file, whose other lines are kept as they are.
 */
import { ENVIRONMENT_VARIABLES } from './environmentVariables';
import { isB64Token, type IssuedToken } from '../tokens/token';

export type TokenFileFormat = 'json' | 'dotenv';

const EXPIRES_AT_VARIABLE = `${ENVIRONMENT_VARIABLES.token}_EXPIRES_AT`;

/** `.env`, `.env.local`, `prod.env`: dotenv; anything else: JSON. */
export function tokenFileFormat(fileName: string): TokenFileFormat {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return /^\.env(\..+)?$/.test(name) || name.endsWith('.env') ? 'dotenv' : 'json';
}

/** The file's new text; `existing` is the current text of a .env file, whose other lines stay. */
export function tokenFileText(format: TokenFileFormat, token: IssuedToken, now: number, existing = ''): string {
  // Whatever the token's origin (a token stored by an older version is not checked where it was accepted): in a .env
  // file a line break adds a line of its own (NODE_OPTIONS=…), and $(…), backticks or ; run in a shell that sources it.
  if (!isB64Token(token.accessToken)) {
    throw new Error(
      `The token holds characters a token cannot have (RFC 6750 allows letters, digits, - . _ ~ + / and "=" at the end)${/[\r\n]/.test(token.accessToken) ? ', a line break among them' : ''}, so it was not written. Renew the token or sign in again.`,
    );
  }
  if (format === 'json') {
    const body = {
      access_token: token.accessToken,
      token_type: token.tokenType,
      expires_in: Math.max(0, Math.round((token.expiresAt - now) / 1000)),
      expires_at: new Date(token.expiresAt).toISOString(),
      scope: token.scope,
    };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  const ours = new Map([
    [ENVIRONMENT_VARIABLES.token, token.accessToken],
    [EXPIRES_AT_VARIABLE, new Date(token.expiresAt).toISOString()],
  ]);
  const lines = existing.split(/\r?\n/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  const written = new Set<string>();
  const kept = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name && ours.has(name)) {
      written.add(name);
      return `${name}=${ours.get(name)}`;
    }
    return line;
  });
  const added = [...ours].filter(([name]) => !written.has(name)).map(([name, value]) => `${name}=${value}`);
  return `${[...kept, ...added].join('\n')}\n`;
}
