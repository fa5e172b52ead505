import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateOperations, looksLikeSpec, parseSpec } from '../../../src/core/specs/specDocument';
import { bundleSpec } from '../../../src/core/specs/specRefs';
import { fixture, fixturesDir } from './specFixtures';
import { largeSpecYaml } from './largeSpec';

const read = (name: string) => readFileSync(join(fixturesDir, name), 'utf8');

describe('specs: recognising and parsing', () => {
  it('recognises Swagger 2.0 and OpenAPI 3.0/3.1 in YAML and JSON, and nothing else', () => {
    assert.ok(looksLikeSpec(read('swagger2-repair-orders.yaml')));
    assert.ok(looksLikeSpec(read('openapi30/dealers.yaml')));
    assert.ok(looksLikeSpec(read('openapi31/parts.json')));
    assert.ok(looksLikeSpec('{"swagger":"2.0","paths":{}}'));
    assert.ok(!looksLikeSpec('name: my-app\nversion: 1.0.0\n'));
    assert.ok(!looksLikeSpec('{"openapi": "2.5"}'));
    assert.ok(!looksLikeSpec('asyncapi: 2.0.0\n'));
    assert.ok(!looksLikeSpec('description: "swagger: 2.0 is old"\n'));
  });

  it('Swagger 2.0: every operation at the line of its method key', () => {
    const text = read('swagger2-repair-orders.yaml');
    const parse = parseSpec(text);
    assert.ok(parse.ok);
    assert.equal(parse.spec.version, '2.0');
    assert.equal(parse.spec.title, 'Repair Orders');
    const lines = text.split('\n');
    assert.deepEqual(
      parse.spec.operations.map((operation) => [operation.method, operation.path]),
      [
        ['GET', '/repair-orders'],
        ['POST', '/repair-orders'],
        ['GET', '/repair-orders/{orderId}'],
        ['PUT', '/repair-orders/{orderId}/lines/{lineNumber}'],
      ],
    );
    for (const operation of parse.spec.operations) {
      assert.match(lines[operation.line], new RegExp(`^\\s+${operation.method.toLowerCase()}:`));
    }
    assert.deepEqual(parse.problems, []);
  });

  it('OpenAPI 3.1 in JSON, pretty or on one line: the operations and their lines', () => {
    const text = read('openapi31/parts.json');
    const parse = parseSpec(text);
    assert.ok(parse.ok);
    assert.equal(parse.spec.version, '3.1');
    assert.deepEqual(
      parse.spec.operations.map((operation) => `${operation.method} ${operation.path} ${text.split('\n')[operation.line].trim().slice(0, 7)}`),
      ['GET /parts/{partNumber} "get": ', 'PATCH /parts/{partNumber} "patch"'],
    );
    const minified = JSON.stringify(JSON.parse(text));
    assert.deepEqual(
      locateOperations(minified).map((operation) => [operation.method, operation.line]),
      [
        ['GET', 0],
        ['PATCH', 0],
      ],
    );
  });

  it('a JSON spec being typed, with a key holding an escape that is not valid yet, still gets its other lenses (the scan threw; found by review)', () => {
    const typing = '{"openapi":"3.0.3","paths":{\n"/a\\x":{"get":{}},\n"/b":{"post":{}}}}';
    assert.deepEqual(
      locateOperations(typing).map((operation) => [operation.method, operation.path, operation.line]),
      [
        ['GET', '/a\\x', 1],
        ['POST', '/b', 2],
      ],
    );
  });

  it('a YAML syntax error: a problem at its line, no exception', () => {
    const parse = parseSpec(read('broken.yaml'));
    assert.equal(parse.ok, false);
    assert.equal(parse.problems.length, 1);
    assert.match(parse.problems[0].message, /^Not valid YAML: /);
    // The unterminated string opens on line 10 (0-based 9); the parser stops at the end of the text it swallowed.
    assert.ok(parse.problems[0].start.line >= 9, JSON.stringify(parse.problems[0]));
  });

  it('a JSON syntax error (a trailing comma): a problem at its line', () => {
    const text = read('broken.json');
    const parse = parseSpec(text);
    assert.equal(parse.ok, false);
    assert.match(parse.problems[0].message, /^Not valid JSON: /);
    assert.equal(
      parse.problems[0].start.line,
      text.split('\n').findIndex((line) => line.trim() === '}'),
    );
  });

  it('an unknown version and a spec without paths: problems at the version line', () => {
    const unknown = parseSpec('info: {title: x}\nopenapi: 4.0.0\npaths: {}\n');
    assert.equal(unknown.ok, false);
    assert.deepEqual(unknown.problems[0].start, { line: 1, column: 0 });
    assert.match(unknown.problems[0].message, /"4\.0\.0"/);
    const noPaths = parseSpec('# a comment\nswagger: "2.0"\ninfo: {title: x, version: "1"}\n');
    assert.ok(noPaths.ok);
    assert.deepEqual(
      noPaths.problems.map((problem) => [problem.start.line, problem.message]),
      [[1, 'The spec has no "paths": there is no operation to call.']],
    );
  });

  it('a local $ref to nothing and a $ref to a missing file: problems at their lines', async () => {
    const text = read('broken-ref.yaml');
    const parse = parseSpec(text);
    assert.ok(parse.ok);
    const lines = text.split('\n');
    const missingFile = await bundleSpec(parse.spec, join(fixturesDir, 'broken-ref.yaml'), text, fixturesDir);
    assert.equal(missingFile.ok, false);
    assert.match(missingFile.problems[0].message, /cannot be read.*no-such-file\.yaml/);
    assert.match(lines[missingFile.problems[0].start.line], /no-such-file\.yaml/);
    const withoutFileRef = text.replace(/\n {2}\/files:[^]*?(?=\ncomponents)/, '');
    const localOnly = parseSpec(withoutFileRef);
    assert.ok(localOnly.ok);
    const missingLocal = await bundleSpec(localOnly.spec, join(fixturesDir, 'broken-ref.yaml'), withoutFileRef, fixturesDir);
    assert.equal(missingLocal.ok, false);
    assert.deepEqual(
      missingLocal.problems.map((problem) => problem.message),
      ['$ref "#/components/schemas/Missing" points to nothing in the spec.'],
    );
    assert.match(withoutFileRef.split('\n')[missingLocal.problems[0].start.line], /#\/components\/schemas\/Missing/);
  });

  it('$refs to another file are bundled in: OpenAPI 3.0 (YAML) and 3.1 (JSON)', async () => {
    const dealers = await fixture('openapi30/dealers.yaml');
    assert.doesNotMatch(JSON.stringify(dealers.bundled.document), /"\$ref":"\.\//);
    const getDealer = dealers.operation('GET', '/dealers/{dealerId}');
    assert.deepEqual(
      getDealer.parameters.map((parameter) => `${parameter.in}:${parameter.name}`),
      ['header:Subscription-Id', 'header:Request-Id', 'path:dealerId', 'query:fields'],
    );
    const parts = await fixture('openapi31/parts.json');
    assert.doesNotMatch(JSON.stringify(parts.bundled.document), /"\$ref":"schemas\.json/);
  });

  it('a spec with 1,000 operations (2 MB): all located, each at its own line (its time is a row of npm run bench:specs)', () => {
    const text = largeSpecYaml(1000, 2 * 1024 * 1024);
    assert.ok(text.length > 1.7 * 1024 * 1024, `${text.length} bytes`);
    assert.ok(looksLikeSpec(text));
    const operations = locateOperations(text);
    assert.equal(operations.length, 1000);
    assert.equal(new Set(operations.map((operation) => operation.line)).size, 1000);
    const parse = parseSpec(text);
    assert.ok(parse.ok);
    assert.deepEqual(parse.spec.operations, operations);
  });
});
