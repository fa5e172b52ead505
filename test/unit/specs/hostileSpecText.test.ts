// Spec text from a hostile repository: what the extension does on open (recognise, parse, bundle) must stay cheap and
// must not pull workspace files into requests. These inputs were found by a review that attacked the spec feature.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { parseSpec } from '../../../src/core/specs/specDocument';
import { looksLikeSpec } from '../../../src/core/specs/specMarker';
import { bundleSpec } from '../../../src/core/specs/specRefs';

/** A YAML "billion laughs": each level's list holds the previous level nine times, through aliases. */
function aliasBomb(levels: number): string {
  let text = 'swagger: "2.0"\ninfo: {title: t, version: "1"}\nx-a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let level = 1; level <= levels; level++) {
    text += `x-a${level}: &a${level} [${Array(9)
      .fill(`*a${level - 1}`)
      .join(',')}]\n`;
  }
  return `${text}paths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n`;
}

describe('specs: hostile spec text', () => {
  it('recognising a spec stays linear: thousands of blank lines or spaces before a key are one quick pass', function () {
    // The old marker (`^\s*\{?\s*…` with the m flag) was cubic here, because \s crosses line breaks: 4,000 blank
    // lines took 19 s, past this test's timeout. Not a performance target (npm run bench has those).
    this.timeout(5_000);
    for (const filler of ['\n'.repeat(4_000), ' '.repeat(4_000), `${' '.repeat(2_000)}{${' '.repeat(2_000)}`]) {
      assert.equal(looksLikeSpec(`name: x\n${filler}a: 1\n`), false);
    }
  });

  it('still recognises specs whose marker is indented, quoted or after "{" (JSON on one line or pretty)', () => {
    for (const text of [
      'swagger: "2.0"\n',
      "  openapi: '3.0.3'\n",
      '{"openapi": "3.1.0", "info": {}}',
      '{\n  "swagger": "2.0"\n}',
      '# comment\n\nopenapi: 3.0.0\n',
    ]) {
      assert.equal(looksLikeSpec(text), true, text);
    }
    assert.equal(looksLikeSpec('name: swagger\nswaggerx: 2.0\n'), false);
  });

  it('a problem line in a spec with thousands of blank lines before a key is found in one quick pass', function () {
    this.timeout(5_000);
    const parse = parseSpec(`openapi: 3.0.3\ninfo: {title: t, version: "1"}\n${'\n'.repeat(4_000)}x-other: 1\n`);
    assert.deepEqual(
      parse.problems.map((problem) => [problem.start.line, problem.message]),
      [[0, 'The spec has no "paths": there is no operation to call.']],
    );
  });

  it('a YAML alias bomb (610 bytes that expand to billions of values) is refused with a problem, not expanded', async () => {
    const text = aliasBomb(9);
    const parse = parseSpec(text);
    assert.equal(parse.ok, false, 'refused');
    assert.match(parse.problems.map((problem) => problem.message).join('\n'), /alias/i);
  });

  it('a spec using a few YAML aliases the ordinary way still parses and bundles', async () => {
    const text = `swagger: "2.0"
info: {title: t, version: "1"}
x-common: &ok {"200": {description: ok}}
paths:
  /a:
    get:
      responses: *ok
  /b:
    get:
      responses: *ok
`;
    const parse = parseSpec(text);
    assert.ok(parse.ok, JSON.stringify(parse.problems));
    assert.equal(parse.spec.operations.length, 2);
    const bundled = await bundleSpec(parse.spec, '/nowhere/spec.yaml', text, undefined);
    assert.ok(bundled.ok);
  });

  it('any alias nesting: a result (parsed or refused) and never more than a bounded expansion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), (levels, width) => {
        const text = aliasBomb(levels).replace(/\[(\*a\d+(?:,\*a\d+)*)\]/g, (_whole, list: string) => `[${list.split(',').slice(0, width).join(',')}]`);
        const parse = parseSpec(text);
        if (parse.ok) {
          assert.ok(9 * width ** levels <= 2_000_000, `${levels} levels × ${width} expand to ${9 * width ** levels} values and were accepted`);
        }
      }),
      { numRuns: fuzzRuns(40) },
    );
  });

  describe('$refs inside examples are data, never read', () => {
    let folder = '';
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'fortellis-spec-examples-'));
      await writeFile(join(folder, '.env'), 'SECRET=abc\n');
      await writeFile(join(folder, 'currentToken.json'), '{"access_token":"eyJ.token.sig"}');
    });
    after(() => rm(folder, { recursive: true, force: true }));

    it('an example {"$ref": ".env"} or {"$ref": "currentToken.json"} stays as written: no file content in the spec', async () => {
      const text = `swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /notes:
    post:
      parameters:
        - in: body
          name: body
          schema: {type: object}
          x-example: {$ref: currentToken.json}
      responses:
        "200":
          description: ok
          examples:
            application/json: {$ref: .env}
          schema: {type: object, example: {$ref: "./.env"}}
`;
      const parse = parseSpec(text);
      assert.ok(parse.ok);
      const bundled = await bundleSpec(parse.spec, join(folder, 'spec.yaml'), text, folder);
      assert.ok(bundled.ok, JSON.stringify(!bundled.ok && bundled.problems));
      const all = JSON.stringify(bundled.spec.document);
      assert.ok(!all.includes('SECRET=abc') && !all.includes('eyJ.token.sig'), all);
      assert.ok(all.includes('"$ref":"currentToken.json"'), 'the example keeps its data');
    });

    it('a schema $ref to a file that is not a spec file (.env) is refused with a problem', async () => {
      const text = `swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /notes:
    get:
      responses:
        "200":
          description: ok
          schema: {$ref: ".env"}
`;
      const parse = parseSpec(text);
      assert.ok(parse.ok);
      const bundled = await bundleSpec(parse.spec, join(folder, 'spec.yaml'), text, folder);
      assert.equal(bundled.ok, false);
      assert.match(JSON.stringify(!bundled.ok && bundled.problems), /\.env/);
      assert.ok(!JSON.stringify(bundled).includes('SECRET=abc'));
    });
  });
});
