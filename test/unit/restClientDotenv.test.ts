/**
 * REST Client's rule for {{$dotenv NAME}}, as its source has it (vscode-restclient,
 * src/utils/httpVariableProviders/systemVariableProvider.ts, registerDotenvVariable): the `.env` in the .http file's
 * own folder, read with dotenv.parse, the name taken by /\$dotenv\s([\w-.]+)/, its value used as it is. The extension
 * writes that `.env` beside the file (Keep Token in .env) and the .http files read DOTENV_TOKEN: whatever else the
 * `.env` holds, REST Client resolves it to the token written, the same dotenv (httpyac's dependency) parsing it.
 */
import assert from 'node:assert/strict';
import { parse } from 'dotenv';
import fc from 'fast-check';
import { ENVIRONMENT_VARIABLES } from '../../src/core/tokenExport/environmentVariables';
import { tokenFileText } from '../../src/core/tokenExport/tokenFileContent';
import { DOTENV_TOKEN } from '../../src/core/text/httpFileText';
import type { IssuedToken } from '../../src/core/tokens/token';
import { fuzzRuns } from './helpers/fuzzSettings';

/** REST Client's own expression for the name after $dotenv. */
const REST_CLIENT_DOTENV = /\$dotenv\s([\w-.]+)/;

/** What REST Client sends for `template` (the text between {{ and }}) with `dotenvText` as the .env beside the file. */
function restClientValue(template: string, dotenvText: string): string | undefined {
  const key = REST_CLIENT_DOTENV.exec(template)?.[1];
  const parsed = parse(dotenvText);
  return key !== undefined && key in parsed ? parsed[key] : undefined;
}

const template = DOTENV_TOKEN.slice(2, -2);
const token = (accessToken: string): IssuedToken => ({
  accessToken,
  tokenType: 'Bearer',
  expiresAt: 1_800_000_000_000,
  receivedAt: 1_799_999_000_000,
  scope: 'anonymous',
});

describe("REST Client's {{$dotenv FORTELLIS_TOKEN}} against the .env the extension keeps", () => {
  it('the .http files name the variable as REST Client reads it', () => {
    assert.equal(REST_CLIENT_DOTENV.exec(template)?.[1], ENVIRONMENT_VARIABLES.token);
  });

  it('property: whatever the .env held before, REST Client resolves the token written', () => {
    const b64 = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,200}=*$/);
    const otherLine = fc.oneof(
      fc.constantFrom('# a comment', '', 'DEBUG=1', 'export API_URL=https://x.test', 'QUOTED="a b # c"', "SINGLE='x'", 'EMPTY='),
      fc.constantFrom('FORTELLIS_TOKEN=old', 'export FORTELLIS_TOKEN=old', '  FORTELLIS_TOKEN = old', 'FORTELLIS_TOKEN="old"', 'FORTELLIS_TOKEN_EXPIRES_AT=x'),
      fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.stringMatching(/^[\w .:/-]{0,20}$/)).map(([name, value]) => `${name}=${value}`),
    );
    fc.assert(
      fc.property(b64, fc.array(otherLine, { maxLength: 8 }), fc.boolean(), (accessToken, lines, crlf) => {
        const existing = lines.join(crlf ? '\r\n' : '\n');
        const written = tokenFileText('dotenv', token(accessToken), 1_799_999_000_000, existing);
        assert.equal(restClientValue(template, written), accessToken);
      }),
      { numRuns: fuzzRuns(5_000) },
    );
  });

  it('a .env without the entry resolves to nothing: REST Client warns, as the file comment says to keep it', () => {
    assert.equal(restClientValue(template, 'DEBUG=1\n'), undefined);
  });
});
