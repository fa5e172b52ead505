/**
 * Patterns from a spec someone else wrote: one owner (safePattern) refuses the ones that can take exponential time
 * (nested quantifiers, backreferences, very long ones) and caps the text tested, for both the parameter box (on every
 * keystroke) and Ajv's response check. A skipped pattern is said, never a silent pass, and a check never throws.
 */
import assert from 'node:assert/strict';
import { MAX_TESTED_LENGTH, patternSkipReason, safePattern } from '../../../src/core/specs/safePattern';
import { type ResponseCheck, ResponseChecker } from '../../../src/core/specs/responseCheck';
import { checkLines } from '../../../src/core/specs/responseView';
import { parameterProblem, parameterWarning } from '../../../src/core/specs/specRequest';
import { type BundledSpec, type Json, specOperation, type SpecParameter } from '../../../src/core/specs/specModel';

const EXPONENTIAL = ['^(\\w+\\s?)*$', '^([A-Z0-9]+-?)*$', '(a+)+$', '(a*)*b', '((ab)*c?)+', '(?:x|\\d+)*y', '^(a|a)*$', '(\\w{1,5})+$'];
const BACKREFERENCES = ['(a)\\1', '(?<x>a)\\k<x>'];
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

  it('nested quantifiers, alternation under a quantifier, backreferences, very long and invalid patterns are refused, with a reason', () => {
    for (const source of [...EXPONENTIAL, ...BACKREFERENCES, `^${'a'.repeat(300)}$`, '(']) {
      const pattern = safePattern(source);
      assert.ok('reason' in pattern && pattern.reason.length > 0, source);
    }
    assert.match((safePattern('^(\\w+\\s?)*$') as { reason: string }).reason, /nested quantifier/);
    assert.match((safePattern('(a)\\1') as { reason: string }).reason, /backreference/);
    assert.match((safePattern('(') as { reason: string }).reason, /not a valid regular expression/);
  });

  it('text longer than the cap is not tested, and says so', () => {
    assert.equal(patternSkipReason('^V-[0-9]+$', `V-${'1'.repeat(MAX_TESTED_LENGTH)}`), `the value is longer than ${MAX_TESTED_LENGTH} characters`);
    assert.equal(patternSkipReason('^V-[0-9]+$', 'V-1'), undefined);
    assert.match(patternSkipReason('^(\\w+\\s?)*$', 'x') ?? '', /nested quantifier/);
  });

  it('the parameter box: a risky pattern is a warning (the value may be sent), not an error, and is never run', () => {
    const vin = parameter('^([A-Z0-9]+-?)*$');
    const typed = `1HGCM82633A${'0'.repeat(21)}x`;
    assert.equal(parameterProblem(vin, typed), undefined);
    assert.match(parameterWarning(vin, typed) ?? '', /^vin: pattern not checked: .*nested quantifier/);
    assert.equal(parameterProblem(parameter('^V-[0-9]+$'), 'X'), 'vin must match ^V-[0-9]+$.');
    assert.equal(parameterWarning(parameter('^V-[0-9]+$'), 'V-1'), undefined);
    assert.equal(parameterProblem(parameter('('), 'x'), undefined);
    assert.match(parameterWarning(parameter('('), 'x') ?? '', /not a valid regular expression/);
  });

  it('the response check: a risky pattern is reported as not checked at its path, not passed silently', async () => {
    const schema = {
      type: 'object',
      properties: { description: { type: 'string', pattern: '^(\\w+\\s?)*$' }, vin: { type: 'string', pattern: '^V-[0-9]+$' } },
    };
    const check = await checked(schema, { description: `Blue sedan ${'a'.repeat(23)}.`, vin: 'V-1' });
    assert.equal(check.verdict, 'matches');
    assert.deepEqual(check.verdict === 'matches' && check.notChecked, [
      { path: '$.description', message: 'pattern not checked: it has a nested quantifier (a repeated group that repeats inside)' },
    ]);
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
