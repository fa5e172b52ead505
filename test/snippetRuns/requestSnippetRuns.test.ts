// The snippets layer (npm run test:snippets): every request snippet run with its language's real runtime against the
// sandbox's API gateway. Their text is checked in test/unit/requestSnippets.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JSON_MEDIA_TYPE } from '../../src/core/apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../src/core/tokenExport/environmentVariables';
import { renderRequestSnippet, SNIPPET_LANGUAGES, type SnippetLanguageId } from '../../src/core/snippets/renderSnippet';
import type { RequestSnippetSpec } from '../../src/core/snippets/snippetRequest';
import { requestClientCredentialsToken } from '../../src/core/tokens/tokenRequests';
import { DEMO_CLIENT, type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { REQUEST_ID_FORM, runSnippet, type SnippetRun } from './snippetRunner';

/** Each run's time limit; Java, Go and mcs take 1–3 s. */
const RUN_TIMEOUT_MS = 60_000;

/** JSON with quotes, shell, template and interpolation syntax, backslashes, tabs, line breaks and non-ASCII. */
const AWKWARD_JSON = [
  '{',
  '\t"quotes": "it\'s \\"quoted\\", \\"\\"\\" triple, \'\'\' too",',
  '\t"shell": "$HOME ${USER} `id` $(id) %PATH% 100% & | ; < > # not a comment",',
  '\t"backslashes": "C:\\\\temp\\\\new \\\\u0041 \\\\n",',
  '\t"templates": "{{name}} {{ spaced }} ${not.interpolated} {0} $\\"{y}\\" @\\"z\\" #{ruby}",',
  '\t"unicode": "é 日本 😀 “curly” ‘single’"',
  '}',
].join('\n');

/** A spec's media type can hold what .http reads as a variable: sent as it is, never replaced. */
const AWKWARD_CONTENT_TYPE = 'application/json; note="{{$processEnv HOME}} $HOME"';

/** Not JSON: what no language's plain literal holds (CR LF, C0 controls, DEL, U+2028, here-string ends). */
const CONTROL_TEXT = 'line 1\r\nline 2\n\'@\n"@\n\x01\x1f\x7f \u2028 \\u000a \\x41 \t end';

/** Typed by a user: spaces, quotes, non-ASCII and braces raw; a stray %; a fragment that is never sent. */
const AWKWARD_PATH = "/cdk-test/it's a/café/{x}";
const AWKWARD_QUERY =
  'q=a b&amp=%26&dollar=$HOME&quote=\'q\'&dq="x"&percent=100%&hash=%23&uni=日本&braces={{name}}&interp=${x}&plus=a+b&tick=`&back=\\&pipe=|&tilde=%7e';
/** What the server must see of them. */
const SENT_PATH = "/api/cdk-test/it's%20a/caf%C3%A9/%7Bx%7D";
const SENT_QUERY =
  'q=a%20b&amp=%26&dollar=$HOME&quote=%27q%27&dq=%22x%22&percent=100%25&hash=%23&uni=%E6%97%A5%E6%9C%AC&braces=%7B%7Bname%7D%7D' +
  '&interp=$%7Bx%7D&plus=a+b&tick=%60&back=%5C&pipe=%7C&tilde=~';

/**
 * Header parameters a spec may declare besides the Fortellis ones, sent as they are: an If-Match that is not a quoted
 * entity tag (.NET's Headers.Add would refuse it), and Content-Language, which .NET keeps on the content.
 */
const SPEC_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['If-Match', 'v7'],
  ['X-Dealer-Id', 'D 12 $HOME'],
  ['Content-Language', 'fr-CA'],
];

const HTTP_STATUS_200 = /HTTP\S* 200\b/;
const MISSING_TOKEN = /FORTELLIS_TOKEN:? is not set: run "Fortellis: Get Fortellis Token" in VS Code/;

/** What a terminal opened before the last renewal still has in FORTELLIS_TOKEN: the gateway refuses it. */
const STALE_TOKEN = 'a.token-from-before-the-renewal.x';

interface TableRow {
  readonly language: string;
  readonly request: string;
  readonly ran: SnippetRun['ran'];
  readonly how: string;
  readonly ms: number;
}

describe('request snippets, run against the sandbox API gateway', function () {
  this.timeout(RUN_TIMEOUT_MS + 30_000);
  let sandbox: Sandbox;
  let token: string;
  /** A directory outside the snippets' own, holding `tokenFile`: the token, as the extension keeps it fresh. */
  let tokenDirectory: string;
  let tokenFile: string;
  const table: TableRow[] = [];

  before(async () => {
    sandbox = await startSandbox();
    const credentials = { apiKey: DEMO_CLIENT.clientId, apiSecret: DEMO_CLIENT.clientSecret };
    token = (await requestClientCredentialsToken(sandbox.issuer, credentials, { timeoutMs: 5000, maxAttempts: 1 })).accessToken;
    tokenDirectory = await mkdtemp(path.join(tmpdir(), 'fortellis-token-file-'));
    tokenFile = path.join(tokenDirectory, 'token');
    // A line break after it, as a file written by hand would have: the snippets take the token without it.
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  });

  after(async () => {
    await sandbox?.close();
    if (tokenDirectory) {
      await rm(tokenDirectory, { recursive: true, force: true });
    }
    printTable(table);
  });

  /** Output with the token taken out, for messages. */
  const redacted = (text: string): string => text.split(token).join('<token>');

  /** Runs the snippet of `spec`, or `source` when given (the same text run again). */
  async function run(
    language: SnippetLanguageId,
    request: string,
    spec: RequestSnippetSpec,
    env: Record<string, string>,
    source?: string,
  ): Promise<SnippetRun> {
    sandbox.resetApiRequests();
    const started = Date.now();
    const result = await runSnippet(language, source ?? renderRequestSnippet(language, spec), env, { timeoutMs: RUN_TIMEOUT_MS });
    table.push({ language, request, ran: result.ran, how: result.how, ms: Date.now() - started });
    const expected = language === 'powershell' ? 'syntax-check' : 'run';
    assert.equal(result.ran, expected, `${language} was not verified: ${redacted(result.stderr)}`);
    return { ...result, stdout: redacted(result.stdout), stderr: redacted(result.stderr) };
  }

  /** Asserts the program succeeded and printed the status and the echoed body, and returns what the gateway saw. */
  function assertSent(result: SnippetRun, spec: RequestSnippetSpec) {
    assert.equal(result.exitCode, 0, `exit code ${String(result.exitCode)}\n${result.stdout}\n${result.stderr}`);
    if (result.ran === 'syntax-check') {
      return undefined;
    }
    assert.match(result.stdout, HTTP_STATUS_200, result.stdout);
    const received = sandbox.apiRequests();
    assert.equal(received.length, 1, 'one request');
    const [record] = received;
    assert.match(record.requestId ?? '', REQUEST_ID_FORM, 'a Request-Id made by the snippet: a version 4 UUID');
    assert.ok(result.stdout.includes(record.requestId ?? ''), 'prints the response body');
    assert.equal(record.method, spec.method);
    assert.equal(record.authenticated, true, 'Authorization: Bearer <the sandbox token>');
    assert.equal(record.status, 200, record.gatewayCode);
    assert.equal(record.subscriptionId, spec.subscriptionId);
    assert.equal(record.accept, JSON_MEDIA_TYPE);
    return record;
  }

  for (const { id: language } of SNIPPET_LANGUAGES) {
    describe(language, () => {
      it('GET, the token from FORTELLIS_TOKEN; the same snippet run twice sends two different Request-Ids', async () => {
        const spec: RequestSnippetSpec = {
          method: 'GET',
          url: `${sandbox.apiBaseUrl}/cdk-test/service/v1/things?limit=5`,
          subscriptionId: 'test',
          token: { from: 'environment' },
        };
        const source = renderRequestSnippet(language, spec);
        const env = { [ENVIRONMENT_VARIABLES.token]: token };
        const first = assertSent(await run(language, 'GET', spec, env, source), spec);
        const second = assertSent(await run(language, 'GET again', spec, env, source), spec);
        for (const record of [first, second]) {
          if (record) {
            assert.equal(record.path, '/api/cdk-test/service/v1/things');
            assert.equal(record.query, 'limit=5');
            assert.equal(record.contentType, undefined);
            assert.equal(record.body, '');
          }
        }
        if (first && second) {
          assert.notEqual(first.requestId, second.requestId, 'a new Request-Id on each run');
        }
      });

      it("POST of awkward JSON to an awkward URL, with a spec's other header parameters", async () => {
        const spec: RequestSnippetSpec = {
          method: 'POST',
          url: `${sandbox.apiBaseUrl}${AWKWARD_PATH}?${AWKWARD_QUERY}#fragment`,
          subscriptionId: 'test',
          body: AWKWARD_JSON,
          contentType: AWKWARD_CONTENT_TYPE,
          extraHeaders: SPEC_HEADERS,
          token: { from: 'environment' },
        };
        const record = assertSent(await run(language, 'POST awkward', spec, { [ENVIRONMENT_VARIABLES.token]: token }), spec);
        if (record) {
          assert.equal(record.path, SENT_PATH);
          assert.equal(record.query, SENT_QUERY);
          assert.equal(record.contentType, AWKWARD_CONTENT_TYPE);
          assert.equal(record.body, AWKWARD_JSON);
          assert.deepEqual(
            SPEC_HEADERS.map(([name]) => [name, record.headers[name.toLowerCase()]]),
            SPEC_HEADERS,
          );
        }
      });

      it('PATCH of one-line JSON, the token written into the snippet', async () => {
        const body = '{"status": "open", "note": "it\'s \\"fine\\" \\\\o/ $5 `x`"}';
        const expiresAt = new Date(Date.now() + 3_600_000);
        const spec: RequestSnippetSpec = {
          method: 'PATCH',
          url: `${sandbox.apiBaseUrl}/cdk-test/things/42`,
          subscriptionId: 'test',
          body,
          token: { from: 'literal', value: token, expiresAt },
        };
        // No FORTELLIS_TOKEN: the token can only come from the file.
        const record = assertSent(await run(language, 'PATCH literal', spec, {}), spec);
        if (record) {
          assert.equal(record.path, '/api/cdk-test/things/42');
          assert.equal(record.body, body);
        }
      });

      // A .http body is the file's lines: it cannot hold a CR or control characters.
      if (language !== 'http') {
        it('PUT of text with control characters, in another Content-Type', async () => {
          const contentType = 'text/plain; charset=utf-8';
          const spec: RequestSnippetSpec = {
            method: 'PUT',
            url: `${sandbox.apiBaseUrl}/cdk-test/notes/1`,
            subscriptionId: 'test',
            body: CONTROL_TEXT,
            contentType,
            token: { from: 'environment' },
          };
          const record = assertSent(await run(language, 'PUT controls', spec, { [ENVIRONMENT_VARIABLES.token]: token }), spec);
          if (record) {
            assert.equal(record.contentType, contentType);
            assert.equal(record.body, CONTROL_TEXT);
          }
        });
      }

      // A .http file reads the token from its .env; PowerShell does not run here.
      if (language !== 'http' && language !== 'powershell') {
        const spec = (): RequestSnippetSpec => ({
          method: 'GET',
          url: `${sandbox.apiBaseUrl}/cdk-test/things`,
          subscriptionId: 'test',
          token: { from: 'environment' },
        });

        it('in a terminal opened before the last renewal: the token from the file FORTELLIS_TOKEN_FILE names, not the stale FORTELLIS_TOKEN', async () => {
          const env = { [ENVIRONMENT_VARIABLES.token]: STALE_TOKEN, [ENVIRONMENT_VARIABLES.tokenFile]: tokenFile };
          assertSent(await run(language, 'GET, token file', spec(), env), spec());
        });

        it('FORTELLIS_TOKEN when the file FORTELLIS_TOKEN_FILE names cannot be read', async () => {
          const env = { [ENVIRONMENT_VARIABLES.token]: token, [ENVIRONMENT_VARIABLES.tokenFile]: path.join(tokenDirectory, 'gone') };
          assertSent(await run(language, 'GET, no token file', spec(), env), spec());
        });
      }

      // httpyac sends an empty Bearer for an unset variable; PowerShell does not run here.
      if (language !== 'http' && language !== 'powershell') {
        it('stops with a clear message when FORTELLIS_TOKEN is not set', async () => {
          const spec: RequestSnippetSpec = {
            method: 'GET',
            url: `${sandbox.apiBaseUrl}/cdk-test/things`,
            subscriptionId: 'test',
            token: { from: 'environment' },
          };
          const result = await run(language, 'no token', spec, {});
          assert.notEqual(result.exitCode, 0);
          assert.match(result.stderr, MISSING_TOKEN, result.stderr);
          assert.equal(sandbox.apiRequests().length, 0, 'nothing was sent');
        });
      }
    });
  }

  it('the PowerShell syntax check fails on a broken script', async () => {
    const spec: RequestSnippetSpec = {
      method: 'GET',
      url: `${sandbox.apiBaseUrl}/cdk-test/things`,
      subscriptionId: 'test',
      token: { from: 'environment' },
    };
    const broken = renderRequestSnippet('powershell', spec).replace("'test'", "'test");
    const result = await runSnippet('powershell', broken, {});
    assert.equal(result.ran, 'syntax-check');
    assert.equal(result.exitCode, 1);
  });
});

/** How each snippet was verified, and how long it took. */
function printTable(rows: TableRow[]): void {
  const lines = [['language', 'request', 'verified by', 'ms', 'how'], ...rows.map((row) => [row.language, row.request, row.ran, String(row.ms), row.how])];
  const widths = lines[0].map((_, column) => Math.max(...lines.map((cells) => cells[column].length)));
  const text = lines.map((cells) => `    ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')}`.trimEnd());
  console.log(['', '    Request snippets, how each was verified:', ...text].join('\n'));
}
