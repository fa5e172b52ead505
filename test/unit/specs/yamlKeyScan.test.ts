/**
 * The scan that finds a YAML spec's operations for the code lenses (and for parseSpec's lines) reads each line's key
 * by hand, in one pass. The regular expression it replaced was quadratic on a long run of blanks without a colon
 * (80,000 blanks: 9.6 s, in the extension host, on open). The results are the same: a property compares the scan
 * with that regular expression on short YAML-ish lines, where its backtracking costs nothing.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { locateOperations, parseSpec, yamlKey } from '../../../src/core/specs/specDocument';

/** The replaced regular expression, as the reference of what a key is. */
const REFERENCE_KEY = /^( *)(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"&*!|>%@`{[\-?][^]*?|[-?][^\s][^]*?))\s*:(?:\s|$)/;

function referenceKey(line: string): string | undefined {
  const match = REFERENCE_KEY.exec(line);
  if (!match) {
    return undefined;
  }
  if (match[2] !== undefined) {
    try {
      return JSON.parse(`"${match[2]}"`) as string;
    } catch {
      return undefined;
    }
  }
  return match[3] !== undefined ? match[3].replace(/''/g, "'") : match[4];
}

const HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n';

/** A spec whose second path's key holds `blanks` blanks (valid YAML: a plain key may hold blanks). */
function blanksInKey(blanks: string): string {
  return `${HEAD}  /b${blanks}c:\n    post:\n      responses: {"200": {description: ok}}\n`;
}

describe('specs: the scan for operations (code lenses) is linear', () => {
  it('80,000 blanks inside a path key: both operations, at their lines, from the scan and from parseSpec', function () {
    // Not a time limit (npm run bench:specs has the figures): the old scan took minutes here under mocha's load.
    this.timeout(20_000);
    const text = blanksInKey(' '.repeat(80_000));
    const expected = [
      { method: 'GET', path: '/a', line: 4 },
      { method: 'POST', path: `/b${' '.repeat(80_000)}c`, line: 7 },
    ];
    assert.deepEqual(locateOperations(text), expected);
    const parse = parseSpec(text);
    assert.ok(parse.ok);
    assert.deepEqual(parse.spec.operations, expected);
  });

  it('hostile lines at a key indent (blank runs without a colon, unterminated quotes, colons without a blank) are no key; the operations around them are found', function () {
    this.timeout(20_000);
    const long = 80_000;
    const hostile = [
      `  /x${' '.repeat(long)}y`,
      `  /x${'\t \u00a0\u3000'.repeat(long / 4)}y`,
      `  -x${' '.repeat(long)}`,
      `  ?x${' '.repeat(long)}#`,
      `  "${'\\\\'.repeat(long / 2)}`,
      `  "a"${' '.repeat(long)}x`,
      `  '${"''".repeat(long / 2)}`,
      `  '${"a'' ".repeat(long / 4)}' x`,
      `  a${':b'.repeat(long / 2)}`,
      `  ${'a '.repeat(long / 2)}`,
    ];
    for (const line of hostile) {
      assert.equal(yamlKey(line), undefined, line.slice(0, 20));
      // Inside `paths`, at the path indent, between two path items: the scan goes on past it.
      const text = `paths:\n  /a:\n    get: {}\n${line}\n  /c:\n    put: {}\n`;
      assert.deepEqual(
        locateOperations(text).map((operation) => [operation.method, operation.path, operation.line]),
        [
          ['GET', '/a', 2],
          ['PUT', '/c', 5],
        ],
        line.slice(0, 20),
      );
    }
    assert.equal(yamlKey(`  "a"${' '.repeat(long)}:`), 'a');
    assert.equal(yamlKey(`  'it''s'${'\t'.repeat(long)}: x`), "it's");
    assert.equal(yamlKey(`  /x${' '.repeat(long)}y${' '.repeat(long)}:`), `/x${' '.repeat(long)}y`);
    assert.equal(yamlKey(`  -x${':y'.repeat(long / 2)}: 1`), `-x${':y'.repeat(long / 2)}`);
  });

  it('a line reads as the same key (or none) as with the regular expression it replaced', () => {
    const char = fc.constantFrom(' ', ' ', 'a', '/', ':', ':', '"', "'", '\\', '-', '?', '#', '\t', '\u00a0', '\r', '\u2028', '{', 'n', '&', 'é');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 14 }), (chars) => {
        const line = chars.join('');
        assert.equal(yamlKey(line), referenceKey(line), JSON.stringify(line));
      }),
      { numRuns: fuzzRuns(2000) },
    );
  });
});
