/**
 * Import Postman Collection: a collection as Fortellis hands it out becomes a .http file whose requests carry the
 * Fortellis headers and the token from FORTELLIS_TOKEN; what cannot be carried over is said in a comment.
 */
import assert from 'node:assert/strict';
import { MAX_FOLDER_DEPTH, MAX_REQUESTS, postmanHttpFile } from '../../src/core/postman/postmanHttpFile';
import { MAX_COLLECTION_BYTES } from '../../src/core/postman/postmanImportLimits';
import { DOTENV_TOKEN_NOTE } from '../../src/core/text/httpFileText';
import { refusalOnTheThread } from './helpers/postmanRefusal';
import { fortellisCollection, V21_SCHEMA } from '../sandbox/postmanCollections';
import { writtenFile } from './helpers/httpFileStructure';

const BASE_URL = 'https://api.fortellis.io/cdk-test/vehicles/v1';
const OPTIONS = { subscriptionId: 'test' };

function imported(collection: unknown) {
  const file = postmanHttpFile(JSON.stringify(collection), OPTIONS);
  return { ...file, written: writtenFile(file.text) };
}

function collectionOf(items: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { info: { name: 'C', schema: V21_SCHEMA }, item: items, ...extra };
}

describe('postmanHttpFile: a Postman collection as a .http file', () => {
  it('a Fortellis collection: folders as sections, {{baseUrl}} as a variable, the Fortellis headers, the body as it was', () => {
    const { written, text, requests } = imported(fortellisCollection(BASE_URL));
    assert.equal(requests, 3);
    assert.ok(text.includes(`# ${DOTENV_TOKEN_NOTE}`));
    assert.deepEqual(
      written.requests.map((request) => `${request.method} ${request.url}`),
      ['GET {{baseUrl}}/vehicles', 'POST {{baseUrl}}/vehicles', 'GET {{baseUrl}}/vehicles/{{vehicleId}}/recalls'],
    );
    assert.deepEqual(Object.fromEntries(written.variables), { baseUrl: BASE_URL, subscriptionId: 'test', vehicleId: 'V-1001' });
    assert.deepEqual(written.requests[0].comments, [
      '# Folder Vehicles',
      '# Vehicles / List vehicles',
      "# Postman's oauth2 auth is replaced by the Fortellis token.",
    ]);
    assert.deepEqual(written.requests[2].comments.slice(0, 2), ['# Folder Vehicles / Recalls', '# Vehicles / Recalls / Recalls of a vehicle']);
    assert.ok(written.requests[2].comments.includes("# Postman's bearer auth is replaced by the Fortellis token."));
    const post = written.requests[1];
    assert.deepEqual(post.headers.slice(3), [
      ['Accept', 'application/json'],
      ['X-Dealer-Code', 'D-42'],
      ['Content-Type', 'application/json'],
    ]);
    assert.equal(post.body, '{\n  "vin": "1HGCM82633A004352",\n  "make": "Honda",\n  "model": "Accord",\n  "year": 2023,\n  "mileage": 12000\n}');
  });

  it('copies no credential: the auth blocks, the clientSecret variable and the bearer token are not in the file', () => {
    const { text } = imported(fortellisCollection(BASE_URL));
    for (const secret of ['my-api-secret', 'my-api-key', 'eyJhbGciOiJSUzI1NiJ9', 'clientSecret']) {
      assert.ok(!text.includes(secret), secret);
    }
  });

  it('a used variable that looks like a credential, or that the collection does not define, is written empty with a comment', () => {
    const { written, text, notes } = imported(
      collectionOf([{ name: 'r', request: { method: 'GET', url: '{{host}}/a?key={{apiKey}}&t={{sessionId}}&j={{plain}}&u={{undefinedOne}}', header: [] } }], {
        variable: [
          { key: 'host', value: 'https://h.example' },
          { key: 'apiKey', value: 'k-123' },
          { key: 'sessionId', value: 's', type: 'secret' },
          { key: 'plain', value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' },
        ],
      }),
    );
    assert.deepEqual(Object.fromEntries(written.variables), {
      apiKey: '',
      host: 'https://h.example',
      plain: '',
      sessionId: '',
      subscriptionId: 'test',
      undefinedOne: '',
    });
    assert.equal(notes.length, 4);
    assert.match(text, /^# the variable undefinedOne is left empty: the collection does not define it/mu);
    assert.ok(!text.includes('k-123') && !text.includes('eyJhbGci'));
  });

  it("the collection's Authorization, Subscription-Id and Request-Id headers never replace the Fortellis ones", () => {
    const { written, notes } = imported(
      collectionOf([
        {
          name: 'r',
          request: {
            method: 'GET',
            url: 'https://api.fortellis.io/x',
            header: [
              { key: 'Authorization', value: 'Bearer abc' },
              { key: 'subscription-id', value: 'other' },
              { key: 'Request-Id', value: 'fixed' },
              { key: 'X-Off', value: '1', disabled: true },
            ],
          },
        },
      ]),
    );
    assert.deepEqual(written.requests[0].headers.length, 4);
    assert.equal(notes.length, 3);
    assert.ok(notes.every((note) => note.endsWith('header is replaced by the Fortellis one')));
  });

  it('a subscriptionId collection variable gives @subscriptionId its value', () => {
    const { written } = imported(
      collectionOf([{ name: 'r', request: { method: 'GET', url: '{{baseUrl}}/a' } }], { variable: [{ key: 'subscriptionId', value: 'sub-9' }] }),
    );
    assert.equal(written.variables.get('subscriptionId'), 'sub-9');
    assert.equal(written.variables.get('baseUrl'), '');
  });

  it('v2.0: a URL as a string, auth parameters as an object, a form body', () => {
    const { written } = imported({
      info: { name: 'Old', schema: 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json' },
      item: [
        {
          name: 'Token-ish form',
          request: {
            method: 'POST',
            url: 'https://api.fortellis.io/cdk-test/things',
            auth: { type: 'basic', basic: { username: 'u', password: 'p' } },
            body: {
              mode: 'urlencoded',
              urlencoded: [
                { key: 'a b', value: 'c&d' },
                { key: 'v', value: '{{v}}' },
              ],
            },
          },
        },
      ],
    });
    const [request] = written.requests;
    assert.equal(request.body, 'a%20b=c%26d&v={{v}}');
    assert.deepEqual(request.headers.at(-1), ['Content-Type', 'application/x-www-form-urlencoded']);
    assert.ok(request.comments.includes("# Postman's basic auth is replaced by the Fortellis token."));
  });

  it('a body mode the file cannot carry (form-data, a file) is left out with a comment; the request stays', () => {
    const { written, notes } = imported(
      collectionOf([{ name: 'upload', request: { method: 'POST', url: 'https://h.example/u', body: { mode: 'file', file: { src: '/etc/passwd' } } } }]),
    );
    assert.equal(written.requests[0].body, undefined);
    assert.deepEqual(notes, ['upload: its file body is not imported: write it by hand']);
  });

  it("Postman's scripts (pre-request, tests) are not run by the file: each request that had one says so", () => {
    const script = (listen: string) => ({ listen, script: { type: 'text/javascript', exec: ['pm.environment.set("x", 1);'] } });
    const { written, notes } = imported(
      collectionOf([{ name: 'scripted', event: [script('prerequest'), script('test')], request: { method: 'GET', url: 'https://h.example/' } }], {
        event: [script('prerequest')],
      }),
    );
    assert.ok(
      written.requests[0].comments.includes('# scripted: its Postman scripts (prerequest, test) are not imported: httpyac and REST Client do not run them'),
    );
    assert.deepEqual(notes, [
      "the collection's Postman scripts (prerequest) are not imported: httpyac and REST Client do not run them",
      'scripted: its Postman scripts (prerequest, test) are not imported: httpyac and REST Client do not run them',
    ]);
  });

  describe('a file that cannot be imported gets a message that says why and what to do', () => {
    it('not JSON: where the parse stopped', () => {
      assert.match(
        refusalOnTheThread('{\n  "info": {},\n  "item": [\n    {"name" "x"}\n  ]\n}'),
        /^The Postman collection is not JSON: Expected ':' after property name in JSON at position \d+ \(line 4, column 13\)\.$/u,
      );
    });
    it('not a collection, or a v1 collection', () => {
      assert.match(refusalOnTheThread('[]'), /not a Postman collection.*Collection v2\.1/u);
      assert.match(refusalOnTheThread('{"openapi":"3.0.0"}'), /not a Postman collection v2\.0 or v2\.1/u);
      assert.match(
        refusalOnTheThread('{"id":"x","name":"n","requests":[]}'),
        /collection v1, which is not imported: export it from Postman as Collection v2\.1/u,
      );
    });
    it(`larger than ${MAX_COLLECTION_BYTES} bytes`, () => {
      const text = JSON.stringify(collectionOf([{ name: 'x'.repeat(MAX_COLLECTION_BYTES), request: 'https://h.example/' }]));
      assert.match(refusalOnTheThread(text), /larger than 5 MB/u);
    });
    it(`folders nested deeper than ${MAX_FOLDER_DEPTH}, or more than ${MAX_REQUESTS} requests`, () => {
      const folders = (depth: number) =>
        `{"info":{"name":"deep"},"item":${'[{"name":"f","item":'.repeat(depth)}[{"name":"r","request":"https://h.example/"}]${'}]'.repeat(depth)}}`;
      assert.equal(imported(JSON.parse(folders(MAX_FOLDER_DEPTH - 1))).requests, 1);
      assert.match(refusalOnTheThread(folders(MAX_FOLDER_DEPTH)), /folders are nested more than 32 deep: move the requests into fewer levels of folders/u);
      assert.match(refusalOnTheThread(folders(100_000)), /JSON is nested more than 256 levels deep/u);
      const many = Array.from({ length: MAX_REQUESTS + 1 }, () => ({ name: 'r', request: 'https://h.example/' }));
      assert.match(refusalOnTheThread(JSON.stringify(collectionOf(many))), /more than 5000 requests/u);
    });
  });
});
