/**
 * The one place a spec's `pattern` becomes a RegExp, for the parameter box (run on every keystroke) and for Ajv's
 * response check. JavaScript's RegExp backtracks, so a pattern such as ^(\w+\s?)*$ takes exponential time on a text
 * that almost matches (6.7 s for 34 characters), and it runs in the extension host. Patterns that can do that are
 * refused with a reason, and text longer than MAX_TESTED_LENGTH is not tested; callers say "pattern not checked".
 *
 * Refused: nested quantifiers (a repeated group with a quantifier inside, star height above 1, such as (a+)+ or
 * (\w+\s?)*), alternation inside a repeated group ((a|a)*), backreferences, patterns over MAX_PATTERN_LENGTH
 * characters, and ones that are not valid regular expressions. A quantifier of fixed count inside is fine: (\d{3}-){2}.
 */
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';

export const MAX_PATTERN_LENGTH = 256;
export const MAX_TESTED_LENGTH = 1000;

export interface PatternChecker {
  /** Whether `text` matches; text longer than MAX_TESTED_LENGTH is not tested (false): ask patternSkipReason first. */
  test(text: string): boolean;
}

export type SafePattern = PatternChecker | { readonly reason: string };

/** A checker for `source`, or why it is not run. Never throws. */
export function safePattern(source: string, flags = 'u'): SafePattern {
  if (typeof source !== 'string') {
    return { reason: 'it is not a string' };
  }
  if (source.length > MAX_PATTERN_LENGTH) {
    return { reason: `it is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  let regExp: RegExp;
  try {
    regExp = new RegExp(source, flags);
  } catch (error) {
    return { reason: `not a valid regular expression (${error instanceof Error ? error.message.slice(0, 120) : 'invalid'})` };
  }
  const risk = riskIn(source);
  if (risk) {
    return { reason: risk };
  }
  return { test: (text) => text.length <= MAX_TESTED_LENGTH && regExp.test(text) };
}

/** Why `text` is not tested against `source` (a refused pattern, or text too long), or undefined when it is. */
export function patternSkipReason(source: string, text: string, flags = 'u'): string | undefined {
  const pattern = safePattern(source, flags);
  if ('reason' in pattern) {
    return pattern.reason;
  }
  return text.length > MAX_TESTED_LENGTH ? `the value is longer than ${MAX_TESTED_LENGTH} characters` : undefined;
}

/**
 * Ajv's `code.regExp`: a refused pattern, or too long a text, fails the pattern keyword (never runs); the response
 * check then asks patternSkipReason and reports "pattern not checked" instead of a mismatch.
 */
export const safeRegExpEngine: RegExpEngine = Object.assign(
  (source: string, flags: string): RegExpLike => {
    const pattern = safePattern(source, flags);
    // Ajv keys compiled patterns by toString(): one per pattern.
    const checker: RegExpLike & { toString(): string } = {
      test: (text: string) => 'test' in pattern && pattern.test(text),
      toString: () => `/${source}/${flags}`,
    };
    return checker;
  },
  { code: 'require("fortellis-auth/safePattern").safeRegExpEngine' },
);

interface Group {
  /** A quantifier that can match a varying count (?, *, +, {1,5}) somewhere inside. */
  variable: boolean;
  alternation: boolean;
}

/** What makes a valid pattern risky, or undefined. Reads JavaScript RegExp syntax (the pattern is valid). */
function riskIn(source: string): string | undefined {
  const stack: Group[] = [{ variable: false, alternation: false }];
  /** The group just closed, when the next token may quantify it. */
  let lastGroup: Group | undefined;
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    const current = stack[stack.length - 1];
    const quantifier = quantifierAt(source, index);
    if (quantifier) {
      const variable = quantifier.min !== quantifier.max;
      const repeating = quantifier.max > 1;
      if (lastGroup && repeating && lastGroup.variable) {
        return 'it has a nested quantifier (a repeated group that repeats inside)';
      }
      if (lastGroup && repeating && lastGroup.alternation) {
        return 'it has alternation inside a repeated group';
      }
      current.variable ||= variable;
      lastGroup = undefined;
      index += quantifier.length;
      continue;
    }
    lastGroup = undefined;
    if (char === '\\') {
      const next = source[index + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[index + 2] === '<')) {
        return 'it has a backreference';
      }
      if ((next === 'u' || next === 'p' || next === 'P') && source[index + 2] === '{') {
        const end = source.indexOf('}', index);
        index = end < 0 ? source.length : end + 1;
      } else {
        index += 2;
      }
    } else if (char === '[') {
      index = classEnd(source, index);
    } else if (char === '(') {
      stack.push({ variable: false, alternation: false });
      const lookbehindOrName = /^\(\?(<=|<!|<[^>]*>|[:=!])/.exec(source.slice(index, index + 300));
      index += lookbehindOrName ? lookbehindOrName[0].length : 1;
    } else if (char === ')') {
      const closed = stack.length > 1 ? stack.pop()! : current;
      const parent = stack[stack.length - 1];
      parent.variable ||= closed.variable;
      parent.alternation ||= closed.alternation;
      lastGroup = closed;
      index++;
    } else {
      if (char === '|') {
        current.alternation = true;
      }
      index++;
    }
  }
  return undefined;
}

/** The quantifier at `index` (?, *, +, {n}, {n,}, {n,m}, each maybe lazy), or undefined. */
function quantifierAt(source: string, index: number): { min: number; max: number; length: number } | undefined {
  const char = source[index];
  let result: { min: number; max: number; length: number } | undefined;
  if (char === '?' || char === '*' || char === '+') {
    result = { min: char === '+' ? 1 : 0, max: char === '?' ? 1 : Infinity, length: 1 };
  } else if (char === '{') {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 40));
    if (braces) {
      const min = Number(braces[1]);
      result = { min, max: braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]), length: braces[0].length };
    }
  }
  if (result && source[index + result.length] === '?') {
    result.length++;
  }
  return result;
}

/** The index after the character class starting at `index` ([…], where \] does not end it). */
function classEnd(source: string, index: number): number {
  let at = index + 1;
  while (at < source.length && source[at] !== ']') {
    at += source[at] === '\\' ? 2 : 1;
  }
  return at + 1;
}
