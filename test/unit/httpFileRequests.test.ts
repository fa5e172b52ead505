/**
 * Send from a .http file: the requests read as REST Client and httpyac read them, and the request Fortellis Auth sends
 * for each. Every .http file the extension writes (the snippet, Open as .http, the Postman import) reads back as the
 * request it describes; what the reader does not know is a problem at its line, never a guess.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fileDraft } from '../../src/core/httpFiles/httpFileDraft';
import { type DynamicValues, jsonBodyProblems, requestAt, requestLines, TOKEN_PLACEHOLDER } from '../../src/core/httpFiles/httpFileRequests';
import { postmanHttpFile } from '../../src/core/postman/postmanHttpFile';
import { renderRequestSnippet } from '../../src/core/snippets/renderSnippet';
import { fortellisCollection } from '../sandbox/postmanCollections';
import { fuzzRuns } from './helpers/fuzzSettings';

const BASE = 'https://api.fortellis.io';
let uuids = 0;
const VALUES: DynamicValues = { newUuid: () => `uuid-${++uuids}`, now: () => 1_700_000_000_000, subscriptionId: 'profile-sub' };

function read(text: string, line = requestLines(text)[0]) {
  const read = requestAt(text, line, VALUES);
  assert.ok(read.ok, read.ok ? '' : `line ${read.problem.line}: ${read.problem.message}`);
  return read.request;
}

function problemOf(text: string, line = requestLines(text)[0] ?? 0) {
  const read = requestAt(text, line, VALUES);
  assert.ok(!read.ok, 'read');
  return read.problem;
}

describe('httpFileRequests: the requests of a .http file', () => {
  it('reads blocks between ### lines: comments, @variables, the request line, ? and & lines, headers, a multi-line body', () => {
    const text = [
      '@base = https://api.fortellis.io/cdk-test/vehicles/v1',
      '@dealer = D-42',
      '',
      '### List',
      '# a comment',
      'GET {{base}}/vehicles',
      '    ?limit=10',
      '    &dealer={{dealer}}',
      'Accept: application/json',
      '// another comment',
      'Subscription-Id: {{$dotenv FORTELLIS_SUBSCRIPTION_ID}}',
      '',
      '### Create',
      'POST {{base}}/vehicles HTTP/1.1',
      'Authorization: Bearer {{$dotenv FORTELLIS_TOKEN}}',
      'Request-Id: {{$guid}}',
      'Content-Type: application/json',
      '',
      '{',
      '  "vin": "1HGCM82633A004352",',
      '  "dealer": "{{dealer}}"',
      '}',
      '',
      '',
    ].join('\n');
    assert.deepEqual(requestLines(text), [5, 13]);
    assert.deepEqual(read(text, 5), {
      line: 5,
      method: 'GET',
      url: 'https://api.fortellis.io/cdk-test/vehicles/v1/vehicles?limit=10&dealer=D-42',
      headers: [
        ['Accept', 'application/json'],
        ['Subscription-Id', 'profile-sub'],
      ],
    });
    const create = read(text, 17);
    assert.equal(create.line, 13);
    assert.equal(create.method, 'POST');
    assert.deepEqual(create.headers[0], ['Authorization', `Bearer ${TOKEN_PLACEHOLDER}`]);
    assert.match(create.headers[1][1], /^uuid-\d+$/);
    assert.equal(create.body, '{\n  "vin": "1HGCM82633A004352",\n  "dealer": "D-42"\n}');
  });

  it('a URL alone is a GET; a block of comments and variables has no request', () => {
    assert.deepEqual(requestLines('# only a comment\n@a = 1\n###\nhttps://example.com/x\n'), [3]);
    assert.equal(read('https://example.com/x').method, 'GET');
    assert.match(problemOf('# nothing', 0).message, /There is no request here/);
  });

  it('says what it does not know, at its line, instead of guessing', () => {
    assert.deepEqual(problemOf('GET https://x.test/{{missing}}'), { line: 0, message: '{{missing}} is not defined: add "@missing = …" above the request.' });
    assert.match(problemOf('GET https://x.test/\nX-Other: {{$dotenv OTHER_SECRET}}').message, /is not a value Fortellis Auth's Send knows/);
    assert.equal(problemOf('GET https://x.test/\nX-Other: {{$dotenv OTHER_SECRET}}').line, 1);
    assert.match(problemOf('POST https://x.test/\nContent-Type: application/json\n\n< ./secrets.json').message, /read from a file/);
    assert.match(problemOf('GET https://x.test/\nnot a header line\n').message, /is not a header/);
    assert.match(problemOf('@a = {{b}}\n@b = {{a}}\nGET https://x.test/{{a}}').message, /more than 10 deep/);
  });

  it('variables of variables that double at each level stop at 5 MB, quickly, instead of filling the memory', () => {
    const levels = Array.from({ length: 9 }, (_, index) => `@v${index} = ${`{{v${index + 1}}}`.repeat(50)}`);
    const text = [...levels, `@v9 = ${'x'.repeat(100)}`, 'POST https://x.test/', '', '{{v0}}'].join('\n');
    const started = Date.now();
    assert.match(problemOf(text).message, /^The request grows past 5 MB once its variables are filled in/);
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  });

  it('many headers, each just under the budget, add up to one budget for the whole request', () => {
    const levels = Array.from({ length: 8 }, (_, index) => `@v${index} = {{v${index + 1}}}{{v${index + 1}}}`);
    const big = `@big = ${'{{v0}}'.repeat(130)}`;
    const headers = Array.from({ length: 400 }, (_, index) => `X-H${index}: n{{big}}`);
    const text = [...levels, `@v8 = ${'x'.repeat(140)}`, big, 'POST https://api.fortellis.io/x', ...headers].join('\n');
    const started = Date.now();
    assert.match(problemOf(text).message, /^The request grows past 5 MB once its variables are filled in/);
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  });

  it('a line of 160,000 blanks is read in linear time: request lines, headers and the JSON check', () => {
    const blanks = ' '.repeat(160_000);
    const text = [`GET a${blanks}b`, `GET https://x.test/${blanks}x`, `X-Long:${blanks}value${blanks}end`, '', `{${blanks}`].join('\n');
    const started = Date.now();
    requestLines(text);
    jsonBodyProblems(text);
    requestAt(text, 1, VALUES);
    requestAt(`GET https://x.test/\nX-Long:${blanks}value${blanks}end\n`, 0, VALUES);
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  });

  it('the token may only be read in the Authorization header', () => {
    for (const text of [
      'GET https://x.test/?t={{$dotenv FORTELLIS_TOKEN}}',
      'GET https://x.test/\nX-Token: {{$processEnv FORTELLIS_TOKEN}}',
      'POST https://x.test/\n\n{"t": "{{$dotenv FORTELLIS_TOKEN}}"}',
      '@t = {{$dotenv FORTELLIS_TOKEN}}\nGET https://x.test/{{t}}',
    ]) {
      assert.match(problemOf(text).message, /FORTELLIS_TOKEN may only be read in the Authorization header/, text);
    }
  });

  it('the .http snippet reads back as the request it was written for', () => {
    const text = renderRequestSnippet('http', {
      method: 'POST',
      url: `${BASE}/cdk-test/vehicles/v1/vehicles?make=Honda`,
      subscriptionId: 'test',
      body: '{\n  "vin": "1HGCM82633A004352"\n}',
      extraHeaders: [['X-Dealer-Code', 'D-42']],
      token: { from: 'environment' },
    });
    const drafted = fileDraft(read(text), BASE);
    assert.ok(drafted.ok, drafted.ok ? '' : drafted.message);
    assert.deepEqual(drafted, {
      ok: true,
      subscriptionId: 'test',
      draft: {
        method: 'POST',
        url: `${BASE}/cdk-test/vehicles/v1/vehicles?make=Honda`,
        body: '{\n  "vin": "1HGCM82633A004352"\n}',
        contentType: 'application/json',
        accept: 'application/json',
        extraHeaders: [['X-Dealer-Code', 'D-42']],
      },
    });
  });

  it("every request of the Postman import reads, with the collection's variables", () => {
    const { text } = postmanHttpFile(JSON.stringify(fortellisCollection(`${BASE}/cdk-test/vehicles/v1`)), { subscriptionId: 'test' });
    const requests = requestLines(text).map((line) => read(text, line));
    assert.deepEqual(
      requests.map((request) => `${request.method} ${request.url}`),
      [`GET ${BASE}/cdk-test/vehicles/v1/vehicles`, `POST ${BASE}/cdk-test/vehicles/v1/vehicles`, `GET ${BASE}/cdk-test/vehicles/v1/vehicles/V-1001/recalls`],
    );
  });

  it('property: any text reads without throwing, and every request line found reads or gives a problem on a line of the file', () => {
    const pieces = fc.constantFrom(
      '###',
      '\n',
      '\r\n',
      'GET ',
      'POST ',
      'https://x.test/',
      '/p',
      '{{',
      '}}',
      '@v = ',
      'v',
      ': ',
      'H',
      '#',
      '//',
      '?a',
      ' ',
      '{',
      '}',
      '"',
      '<',
      '$guid',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const lineCount = text.split(/\r?\n/).length;
        for (const line of requestLines(text)) {
          const result = requestAt(text, line, VALUES);
          const at = result.ok ? result.request.line : result.problem.line;
          assert.ok(at >= 0 && at < lineCount);
          if (result.ok) {
            fileDraft(result.request, BASE);
          }
        }
        for (const problem of jsonBodyProblems(text)) {
          assert.ok(problem.line >= 0 && problem.line < lineCount);
        }
      }),
      { numRuns: fuzzRuns(5_000) },
    );
  });

  it('property: a request written with any header values and JSON body reads back as it was written', () => {
    const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,20}[\x21-\x7e]$/);
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(fc.tuple(fc.constantFrom('X-Dealer-Code', 'X-Trace', 'If-Match'), headerValue), { maxLength: 3 }),
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value, null, 2)),
          fc.constant('{"template": "{{ not a variable }}"}'),
        ),
        (method, extraHeaders, json) => {
          const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
          let text: string;
          try {
            text = renderRequestSnippet('http', {
              method,
              url: `${BASE}/cdk-test/things`,
              subscriptionId: 'sub',
              ...(hasBody && { body: json }),
              extraHeaders,
              token: { from: 'environment' },
            });
          } catch {
            // A value no .http escape can carry is refused by the writer (requestSnippets.test.ts): nothing to read.
            return;
          }
          const drafted = fileDraft(read(text), BASE);
          assert.ok(drafted.ok, drafted.ok ? '' : drafted.message);
          assert.equal(drafted.draft.method, method);
          assert.equal(drafted.draft.body, hasBody ? json : undefined);
          assert.deepEqual(drafted.draft.extraHeaders ?? [], extraHeaders);
          assert.deepEqual(jsonBodyProblems(text), []);
        },
      ),
      { numRuns: fuzzRuns(1_000) },
    );
  });
});

describe('fileDraft: what Send sends for a request of the file', () => {
  const request = (headers: Array<[string, string]>, extra: { method?: string; url?: string; body?: string } = {}) => ({
    line: 0,
    method: extra.method ?? 'GET',
    url: extra.url ?? '/cdk-test/things',
    headers,
    ...(extra.body !== undefined && { body: extra.body }),
  });

  it('the URL is sent as the URL parser reads it: a \\ or a user part cannot name another host to curl', () => {
    const drafted = fileDraft(request([], { url: 'https://api.fortellis.io\\cdk-test\\@attacker.example/orders' }), BASE);
    assert.ok(drafted.ok);
    assert.equal(drafted.draft.url, 'https://api.fortellis.io/cdk-test/@attacker.example/orders');
  });

  it("a path goes under the profile's API base; Authorization and Request-Id are the extension's own", () => {
    const drafted = fileDraft(
      request([
        ['Authorization', 'Basic abc'],
        ['Request-Id', 'fixed'],
      ]),
      `${BASE}/`,
    );
    assert.deepEqual(drafted, { ok: true, draft: { method: 'GET', url: `${BASE}/cdk-test/things` } });
  });

  it('refuses what Call API refuses: a reserved header, a body on GET, plain http off loopback, a method it does not send', () => {
    const refusal = (drafted: ReturnType<typeof fileDraft>) => (drafted.ok ? 'sent' : drafted.message);
    assert.match(refusal(fileDraft(request([['Host', 'evil.test']]), BASE)), /The header "Host" is not sent/);
    assert.match(refusal(fileDraft(request([['X-HTTP-Method-Override', 'DELETE']]), BASE)), /is not sent/);
    assert.match(refusal(fileDraft(request([], { body: '{}' }), BASE)), /A GET request has no body here/);
    assert.match(refusal(fileDraft(request([], { url: 'http://api.example.com/x' }), BASE)), /https/);
    assert.match(refusal(fileDraft(request([], { method: 'HEAD' }), BASE)), /HEAD is not sent/);
    assert.match(refusal(fileDraft(request([], { url: 'not a url' }), BASE)), /is not a URL/);
  });
});

describe('jsonBodyProblems: the JSON body checked as the user types', () => {
  it('points at the line where the JSON breaks; a body with templates or of another type is not checked', () => {
    const text = 'POST https://x.test/\nContent-Type: application/json\n\n{\n  "a": 1,\n  "b": \n}\n';
    const [problem] = jsonBodyProblems(text);
    assert.match(problem.message, /^The body is not valid JSON: /);
    assert.equal(problem.line, 6);
    assert.deepEqual(jsonBodyProblems('POST https://x.test/\n\n{"a": {{x}}}'), []);
    assert.deepEqual(jsonBodyProblems('POST https://x.test/\nContent-Type: text/plain\n\n{not json'), []);
    assert.equal(jsonBodyProblems('POST https://x.test/\n\n{not json').length, 1, 'no Content-Type and a { start: JSON');
  });
});
