/**
 * Patterns from a spec someone else wrote: one owner (safePattern) runs them on RE2 (linear in the text), translated
 * from ECMA-262 with JavaScript's meaning, refuses what RE2 cannot run (backreferences, lookaround) or very long
 * patterns, and caps the text tested, for both the parameter box (on every keystroke) and Ajv's response check. A
 * skipped pattern is said, never a silent pass, and a check never throws.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { MAX_PATTERN_LENGTH, MAX_TESTED_LENGTH, patternSkipReason, safePattern } from '../../../src/core/specs/safePattern';
import { type ResponseCheck, ResponseChecker } from '../../../src/core/specs/responseCheck';
import { checkLines } from '../../../src/core/apiRequests/responseView';
import { parameterProblem, parameterWarning } from '../../../src/core/specs/specRequest';
import { type BundledSpec, type Json, specOperation, type SpecParameter } from '../../../src/core/specs/specModel';

/**
 * Exponential or polynomial on JavaScript's RegExp (they were refused, or, for the last, hung the host 15 s): on RE2
 * they run in linear time. Each with its worst text for a backtracking engine and the right answer, and a match.
 */
const BACKTRACKING: Array<[string, string, boolean, string]> = [
  ['^(\\w+\\s?)*$', `${'a'.repeat(40)}!`, false, 'Blue sedan'],
  ['^([A-Z0-9]+-?)*$', `1HGCM82633A${'0'.repeat(21)}x`, false, 'AB-12'],
  ['(a+)+$', `${'a'.repeat(40)}!`, false, 'baaa'],
  ['(a*)*b', 'a'.repeat(40), false, 'aab'],
  ['((ab)*c?)+$', `${'ab'.repeat(20)}!`, true, 'abc'],
  ['(?:x|\\d+)*y', '1'.repeat(40), false, '12y'],
  ['^(a|a)*$', `${'a'.repeat(40)}b`, false, 'aaa'],
  ['(\\w{1,5})+$', `${'a'.repeat(40)}!`, false, 'abc'],
  ['^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*!$', '1'.repeat(60), false, '123!'],
];
const BACKREFERENCES = ['(a)\\1', '(?<x>a)\\k<x>'];
const LOOKAROUND = ['^(?=x)', '(?!a)b', '(?<=a)b', '(?<!a)b'];
const SAFE: Array<[string, string, string]> = [
  ['^V-[0-9]+$', 'V-42', 'V-x'],
  ['^[A-Z]{3}$', 'USD', 'US'],
  ['^\\d{4}-\\d{2}-\\d{2}$', '2026-11-30', '2026-1-30'],
  ['^(\\d{3}-){2}\\d{4}$', '555-123-4567', '555-1234567'],
  ['^[(a+)*]+$', '(a+)*', 'b'],
  ['^\\(\\w+\\)$', '(abc)', 'abc'],
];

function specWith(schema: Json): BundledSpec {
  return {
    version: '2.0',
    document: { swagger: '2.0', paths: { '/v': { get: { produces: ['application/json'], responses: { '200': { description: 'ok', schema } } } } } },
  } as unknown as BundledSpec;
}

async function checked(schema: Json, body: Json): Promise<ResponseCheck> {
  const spec = specWith(schema);
  return new ResponseChecker(spec).check(specOperation(spec, 'GET', '/v')!, { status: 200, contentType: 'application/json', bodyText: JSON.stringify(body) });
}

function parameter(pattern: string): SpecParameter {
  return { name: 'vin', in: 'query', required: false, schema: { type: 'string', pattern } } as SpecParameter;
}

describe('specs: patterns a spec gives', () => {
  it('ordinary patterns are checked', () => {
    for (const [source, good, bad] of SAFE) {
      const pattern = safePattern(source);
      assert.ok('test' in pattern, `${source}: ${'reason' in pattern ? pattern.reason : ''}`);
      assert.equal(pattern.test(good), true, `${source} ${good}`);
      assert.equal(pattern.test(bad), false, `${source} ${bad}`);
    }
  });

  it('nested quantifiers, alternation under a quantifier and polynomial patterns are checked, with the right answer on their worst text', () => {
    // No time limit here (npm run bench:specs has the figures): on JavaScript's RegExp these texts take minutes to years.
    for (const [source, worst, expected, matching] of BACKTRACKING) {
      const pattern = safePattern(source);
      assert.ok('test' in pattern, `${source}: ${'reason' in pattern ? pattern.reason : ''}`);
      assert.equal(pattern.test(worst), expected, source);
      assert.equal(pattern.test(matching), true, `${source} ${matching}`);
    }
  });

  it('backreferences, lookaround, inline flags, huge repeats, very long and invalid patterns are refused, with a reason', () => {
    for (const source of [...BACKREFERENCES, ...LOOKAROUND, '(?i:a)', 'a{1001}', '((a{100}){100}){100}', '\\p{Letter}', `^${'a'.repeat(300)}$`, '(']) {
      const pattern = safePattern(source);
      assert.ok('reason' in pattern && pattern.reason.length > 0, source);
    }
    assert.match((safePattern('(a)\\1') as { reason: string }).reason, /backreference/);
    assert.match((safePattern('(?<=a)b') as { reason: string }).reason, /lookahead or lookbehind/);
    assert.match((safePattern('a{1001}') as { reason: string }).reason, /^RE2 cannot run it \(invalid repeat count/);
    assert.match((safePattern('(') as { reason: string }).reason, /not a valid regular expression/);
  });

  it("the meaning is JavaScript's, not RE2's: ., \\s, \\S, classes, escapes, named groups, {0001}", () => {
    const cases: Array<[string, string, boolean]> = [
      ['^.$', '\r', false],
      ['^.$', '\u2028', false],
      ['^.$', '😀', true],
      ['^\\s$', '\u00a0', true],
      ['^\\s$', '\v', true],
      ['^\\S$', '\u3000', false],
      ['^[\\S]$', 'a', true],
      ['^[^\\s\\d]$', '\ufeff', false],
      ['^[]$', ']', false],
      ['^[^]$', '\n', true],
      ['^[[:alpha:\\]]+$', 'b', false],
      ['^\\u{1F600}$', '😀', true],
      ['^\\uD83D\\uDE00$', '😀', true],
      ['^[\\b]$', '\b', true],
      ['^\\cJ$', '\n', true],
      ['^(?<year>\\d{4})-\\d{2}$', '2026-12', true],
      ['^a{0001}$', 'a', true],
      ['^[\\s\\S]{0,5000}$', 'any text', true],
      ['^\\d{2,99999}$', '1', false],
      ['^\\d{2,99999}$', '1'.repeat(MAX_TESTED_LENGTH), true],
      ['^(a?){3,5000}b$', 'b', true],
      ['^\\p{Lu}+$', 'ÀB', true],
      ['^\\p{Script=Greek}$', 'α', true],
      ['^a$', 'a\n', false],
    ];
    for (const [source, text, expected] of cases) {
      const pattern = safePattern(source);
      assert.ok('test' in pattern, `${source}: ${'reason' in pattern ? pattern.reason : ''}`);
      assert.equal(pattern.test(text), expected, `${source} on ${JSON.stringify(text)}`);
      assert.equal(new RegExp(source, 'u').test(text), expected, `JavaScript: ${source} on ${JSON.stringify(text)}`);
    }
  });

  it('on patterns from a grammar without backreferences or lookaround, RE2 and JavaScript give the same answer on any text', () => {
    const atom = fc.constantFrom(
      'a',
      'b',
      '1',
      ' ',
      '-',
      '.',
      '\\d',
      '\\D',
      '\\w',
      '\\W',
      '\\s',
      '\\S',
      '\\b',
      '\\B',
      '[ab]',
      '[^a\\s]',
      '[\\S-]',
      '[a-c\\d]',
      '[^]',
      '[]',
      '\\u{1F600}',
      '\\u00e9',
      '\\x62',
      '\\.',
      '\\n',
      '^',
      '$',
    );
    const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{0,2}', '{1,}', '*?', '+?');
    const { pattern } = fc.letrec<{ pattern: string; piece: string }>((tie) => ({
      piece: fc.oneof(
        { depthSize: 'xsmall' },
        fc.tuple(atom, quantifier).map(([each, times]) => (/^[$^]|^\\[bB]$/.test(each) ? each : each + times)),
        fc.tuple(fc.constantFrom('(', '(?:', '(?<g>'), tie('pattern'), quantifier).map(([open, inner, times]) => `${open}${inner})${times}`),
      ),
      pattern: fc
        .array(tie('piece'), { maxLength: 4 })
        .chain((pieces) => fc.boolean().map((alternate) => (alternate && pieces.length > 1 ? `${pieces[0]}|${pieces.slice(1).join('')}` : pieces.join('')))),
    }));
    const text = fc.array(fc.constantFrom('a', 'b', 'c', '1', ' ', '-', '.', '\n', '\r', '\u2028', '\u00a0', '\v', '😀', 'é', '_', '\ud800'), {
      maxLength: 10,
    });
    fc.assert(
      fc.property(pattern, text, (source, chars) => {
        const named = source.split('(?<g>').reduce((joined, part, index) => `${joined}(?<g${index}>${part}`);
        fc.pre(named.length <= MAX_PATTERN_LENGTH);
        let javascript: RegExp;
        try {
          javascript = new RegExp(named, 'u');
        } catch {
          return; // Not a valid pattern (a quantified assertion): both refuse it, as another test shows.
        }
        const checked = safePattern(named);
        assert.ok('test' in checked, `${named}: ${'reason' in checked ? checked.reason : ''}`);
        const value = chars.join('');
        // V8 tries an empty match between the two halves of a surrogate pair even with the u flag (/\B/u matches
        // "a😀a" at 2), which ECMA-262 does not; RE2 reads code points. Only \B can match there.
        fc.pre(!(named.includes('\\B') && value.includes('😀')));
        assert.equal(checked.test(value), javascript.test(value), `${named} on ${JSON.stringify(value)}`);
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('text longer than the cap is not tested, and says so', () => {
    assert.equal(patternSkipReason('^V-[0-9]+$', `V-${'1'.repeat(MAX_TESTED_LENGTH)}`), `the value is longer than ${MAX_TESTED_LENGTH} characters`);
    assert.equal(patternSkipReason('^V-[0-9]+$', 'V-1'), undefined);
    assert.equal(patternSkipReason('^(\\w+\\s?)*$', 'x'), undefined);
    assert.match(patternSkipReason('^(?=x)', 'x') ?? '', /lookahead/);
  });

  it('the parameter box: a pattern RE2 cannot run is a warning (the value may be sent), not an error; a backtracking one is checked', () => {
    const vin = parameter('^(?!0)([A-Z0-9]+-?)*$');
    const typed = `1HGCM82633A${'0'.repeat(21)}x`;
    assert.equal(parameterProblem(vin, typed), undefined);
    assert.match(parameterWarning(vin, typed) ?? '', /^vin: pattern not checked: .*lookahead/);
    const nested = parameter('^([A-Z0-9]+-?)*$');
    assert.equal(parameterProblem(nested, typed), 'vin must match ^([A-Z0-9]+-?)*$.');
    assert.equal(parameterWarning(nested, typed), undefined);
    const polynomial = parameter('^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*!$');
    assert.equal(parameterProblem(polynomial, '1'.repeat(60)), 'vin must match ^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*!$.');
    assert.equal(parameterProblem(polynomial, '1'.repeat(60) + '!'), undefined);
    assert.equal(parameterProblem(parameter('^V-[0-9]+$'), 'X'), 'vin must match ^V-[0-9]+$.');
    assert.equal(parameterWarning(parameter('^V-[0-9]+$'), 'V-1'), undefined);
    assert.equal(parameterProblem(parameter('('), 'x'), undefined);
    assert.match(parameterWarning(parameter('('), 'x') ?? '', /not a valid regular expression/);
  });

  it('the response check: a pattern RE2 cannot run is reported as not checked at its path, not passed silently; a backtracking one is checked', async () => {
    const schema = {
      type: 'object',
      properties: {
        description: { type: 'string', pattern: '^(?!-)(\\w+\\s?)*$' },
        vin: { type: 'string', pattern: '^V-[0-9]+$' },
        stock: { type: 'string', pattern: '^(\\w+\\s?)*$' },
      },
    };
    const check = await checked(schema, { description: `Blue sedan ${'a'.repeat(23)}.`, vin: 'V-1' });
    assert.equal(check.verdict, 'matches');
    assert.deepEqual(check.verdict === 'matches' && check.notChecked, [
      { path: '$.description', message: 'pattern not checked: it has a lookahead or lookbehind, which RE2 does not run' },
    ]);
    const stock = await checked(schema, { stock: `Blue sedan ${'a'.repeat(40)}.` });
    assert.deepEqual(stock.verdict === 'mismatches' && stock.mismatches.map((each) => each.path), ['$.stock']);
    assert.ok(checkLines(check, 'GET /v').some((line) => line.includes('$.description: pattern not checked')));
    const bad = await checked(schema, { description: 'ok', vin: 'X' });
    assert.equal(bad.verdict, 'mismatches');
    assert.deepEqual(bad.verdict === 'mismatches' && bad.mismatches.map((each) => each.path), ['$.vin']);
    const long = await checked(schema, { vin: `V-${'1'.repeat(MAX_TESTED_LENGTH)}` });
    assert.deepEqual(long.verdict === 'matches' && long.notChecked, [
      { path: '$.vin', message: `pattern not checked: the value is longer than ${MAX_TESTED_LENGTH} characters` },
    ]);
  });

  it('the response check never throws: an invalid pattern is not checked, a schema Ajv cannot compile gives "unchecked"', async () => {
    const invalid = await checked({ type: 'string', pattern: '(' }, 'x');
    assert.equal(invalid.verdict, 'matches');
    assert.match(invalid.verdict === 'matches' ? (invalid.notChecked?.[0]?.message ?? '') : '', /^pattern not checked: not a valid regular expression/);
    const unresolvable = await checked({ $ref: '#/definitions/Missing' }, 'x');
    assert.equal(unresolvable.verdict, 'unchecked');
    assert.match(unresolvable.verdict === 'unchecked' ? unresolvable.reason : '', /^the spec's schema could not be used: /);
  });
});
