/**
 * The one place a spec's `pattern` is run, for the parameter box (on every keystroke) and for Ajv's response check.
 * JavaScript's RegExp backtracks: ^(\w+\s?)*$ is exponential on a text that almost matches (6.7 s for 34 characters)
 * and ^\d*\d*\d*\d*\d*\d*\d*\d*!$ is O(n⁸) (15 s for 60 digits), in the extension host. So patterns run on RE2
 * (re2js), whose matching is linear in the text: the pattern, written in ECMA-262 syntax as JSON Schema says, is
 * translated to RE2 syntax with JavaScript's meaning (`.`, `\s`, `\S`, `\u…`, classes, named groups).
 *
 * Not run, with a reason (callers say "pattern not checked: <reason>"): what RE2 cannot do (backreferences,
 * lookahead and lookbehind, inline flags, a least repeat count above 1000 or nested counts past RE2's limit, \p{…}
 * names RE2 reads otherwise), patterns over MAX_PATTERN_LENGTH characters, invalid ones, flags other than "u", and
 * text over MAX_TESTED_LENGTH characters.
 */
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';
import { RE2JS } from 're2js';
import { messageOf } from '../text/errorMessage';

export const MAX_PATTERN_LENGTH = 256;
/**
 * RE2 costs at most (text length × program size): a pattern of 256 characters can compile to about 8,000
 * instructions (RE2 allows repeat counts up to 1000), so 1,000 characters bound one test to a few million steps, and
 * Ajv runs one per string of a response.
 */
export const MAX_TESTED_LENGTH = 1000;

export interface PatternChecker {
  /** Whether `text` matches; text longer than MAX_TESTED_LENGTH is not tested (false): ask patternSkipReason first. */
  test(text: string): boolean;
}

export type SafePattern = PatternChecker | { readonly reason: string };

/** Compiled patterns, by flags and source: the response check asks again for every string that failed one. */
const compiled = new Map<string, SafePattern>();
const MAX_COMPILED = 200;

/** A checker for `source`, or why it is not run. Never throws. */
export function safePattern(source: string, flags = 'u'): SafePattern {
  const key = `${flags}/${source}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    pattern = compile(source, flags);
    if (compiled.size >= MAX_COMPILED) {
      compiled.clear();
    }
    compiled.set(key, pattern);
  }
  return pattern;
}

function compile(source: string, flags: string): SafePattern {
  if (typeof source !== 'string') {
    return { reason: 'it is not a string' };
  }
  if (source.length > MAX_PATTERN_LENGTH) {
    return { reason: `it is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  if (flags !== 'u') {
    return { reason: `the flags "${flags}" are not supported` };
  }
  try {
    // Only parsed, never run: it tells which patterns are valid ECMA-262 (the translation reads valid ones only).
    new RegExp(source, flags);
  } catch (error) {
    return { reason: `not a valid regular expression (${error instanceof Error ? error.message.slice(0, 120) : 'invalid'})` };
  }
  let translated: string;
  try {
    translated = toRe2(source);
  } catch (error) {
    return { reason: error instanceof Refusal ? error.message : `it could not be translated for RE2 (${String(error).slice(0, 120)})` };
  }
  try {
    const re2 = RE2JS.compile(translated);
    return { test: (text) => text.length <= MAX_TESTED_LENGTH && re2.test(text) };
  } catch (error) {
    return {
      reason: `RE2 cannot run it (${messageOf(error)
        .replace(/^error parsing regexp: /, '')
        .slice(0, 120)})`,
    };
  }
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

/** A pattern RE2 cannot run as JavaScript would: the message is the reason shown. */
class Refusal extends Error {}

type Ranges = ReadonlyArray<readonly [number, number]>;

const MAX_CODE_POINT = 0x10ffff;
/** JavaScript's \s (RE2's is ASCII only). */
const BLANKS: Ranges = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
/** What JavaScript's `.` does not match (RE2's `.` matches all but \n). */
const LINE_BREAKS: Ranges = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function complement(ranges: Ranges): Ranges {
  const result: Array<[number, number]> = [];
  let next = 0;
  for (const [low, high] of ranges) {
    if (low > next) {
      result.push([next, low - 1]);
    }
    next = high + 1;
  }
  if (next <= MAX_CODE_POINT) {
    result.push([next, MAX_CODE_POINT]);
  }
  return result;
}

const hex = (codePoint: number) => `\\x{${codePoint.toString(16).toUpperCase()}}`;
const rangesText = (ranges: Ranges) => ranges.map(([low, high]) => (low === high ? hex(low) : `${hex(low)}-${hex(high)}`)).join('');
const DOT = `[${rangesText(complement(LINE_BREAKS))}]`;
const ANY = `\\x{0}-${hex(MAX_CODE_POINT)}`;

/** An escape or character: a code point, or a set (its class contents, and the same standing alone), or an assertion. */
type Atom = { codePoint: number } | { contents: string; alone: string } | { assertion: string };

/**
 * The RE2 pattern that matches what `source` (a valid ECMA-262 pattern with the u flag) matches; throws a Refusal for
 * what RE2 cannot do. Every literal becomes \x{…}, so nothing in it is read as RE2 syntax ([[:alpha:]], []a]).
 */
function toRe2(source: string): string {
  let out = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') {
      const [atom, length] = escapeAt(source, index, false);
      out += 'codePoint' in atom ? hex(atom.codePoint) : 'alone' in atom ? atom.alone : atom.assertion;
      index += length;
    } else if (char === '[') {
      const [text, length] = classAt(source, index);
      out += text;
      index += length;
    } else if (char === '(') {
      const group = /^\(\?(?::|<=|<!|=|!|<[^>]*>)?/.exec(source.slice(index, index + MAX_PATTERN_LENGTH))?.[0] ?? '(';
      if (group === '(?=' || group === '(?!' || group === '(?<=' || group === '(?<!') {
        throw new Refusal('it has a lookahead or lookbehind, which RE2 does not run');
      }
      if (group === '(?') {
        throw new Refusal('it has inline flags (?…), which this check does not run');
      }
      out += group === '(?:' ? '(?:' : '(';
      index += group.length;
    } else if (char === '{') {
      // In a valid u pattern, only a quantifier: {n}, {n,} or {n,m}. Numbers as RE2 reads them ({0001} is not one).
      const quantifier = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 40));
      if (!quantifier) {
        throw new Refusal('it has a "{" this check cannot read');
      }
      // RE2 refuses a count above 1000; no text tested is longer than MAX_TESTED_LENGTH, so an upper bound above it
      // (as in .{0,5000}) matches what that bound does: iterations that match nothing can always be left out.
      const min = Number(quantifier[1]);
      const max = quantifier[3] ? Math.min(Number(quantifier[3]), Math.max(min, MAX_TESTED_LENGTH)) : undefined;
      out += `{${min}${quantifier[2] === undefined ? '' : `,${max ?? ''}`}}`;
      index += quantifier[0].length;
    } else if ('|)^$*+?'.includes(char)) {
      out += char;
      index++;
    } else if (char === '.') {
      out += DOT;
      index++;
    } else {
      const codePoint = source.codePointAt(index)!;
      out += /[A-Za-z0-9]/.test(char) ? char : hex(codePoint);
      index += codePoint > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** The character class at `index` as RE2 text, and its length in `source`. */
function classAt(source: string, index: number): [string, number] {
  let at = index + 1;
  const negated = source[at] === '^';
  if (negated) {
    at++;
  }
  let contents = '';
  let empty = true;
  const atomAt = (position: number): [Atom, number] => {
    if (source[position] === '\\') {
      return escapeAt(source, position, true);
    }
    const codePoint = source.codePointAt(position)!;
    return [{ codePoint }, codePoint > 0xffff ? 2 : 1];
  };
  while (at < source.length && source[at] !== ']') {
    const [atom, length] = atomAt(at);
    at += length;
    empty = false;
    if (!('codePoint' in atom)) {
      contents += 'contents' in atom ? atom.contents : '';
      continue;
    }
    if (source[at] === '-' && at + 1 < source.length && source[at + 1] !== ']') {
      const [end, endLength] = atomAt(at + 1);
      if (!('codePoint' in end)) {
        throw new Refusal('it has a class range this check cannot read');
      }
      contents += `${hex(atom.codePoint)}-${hex(end.codePoint)}`;
      at += 1 + endLength;
    } else {
      contents += hex(atom.codePoint);
    }
  }
  const length = at + 1 - index;
  if (empty) {
    // [] matches nothing, [^] any character; RE2 would read "]" as a member.
    return [negated ? `[${ANY}]` : `[^${ANY}]`, length];
  }
  return [`[${negated ? '^' : ''}${contents}]`, length];
}

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d, '0': 0x00 };

/** The escape at `index` (a backslash), read as ECMA-262 with the u flag reads it, and its length. */
function escapeAt(source: string, index: number, inClass: boolean): [Atom, number] {
  const next = source[index + 1] ?? '';
  if (/[1-9]/.test(next) || (next === 'k' && source[index + 2] === '<')) {
    throw new Refusal('it has a backreference, which RE2 does not run');
  }
  if (next in CONTROL_ESCAPES) {
    return [{ codePoint: CONTROL_ESCAPES[next] }, 2];
  }
  switch (next) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
      return [{ contents: `\\${next}`, alone: `\\${next}` }, 2];
    case 's':
      return [{ contents: rangesText(BLANKS), alone: `[${rangesText(BLANKS)}]` }, 2];
    case 'S':
      return [{ contents: rangesText(complement(BLANKS)), alone: `[${rangesText(complement(BLANKS))}]` }, 2];
    case 'b':
    case 'B':
      return inClass ? [{ codePoint: 0x08 }, 2] : [{ assertion: `\\${next}` }, 2];
    case 'c':
      return [{ codePoint: source.charCodeAt(index + 2) % 32 }, 3];
    case 'x':
      return [{ codePoint: parseInt(source.slice(index + 2, index + 4), 16) }, 4];
    case 'u':
      return unicodeEscapeAt(source, index);
    case 'p':
    case 'P': {
      const end = source.indexOf('}', index);
      const property = re2Property(source.slice(index + 3, end));
      const text = `\\${next}{${property}}`;
      return [{ contents: text, alone: text }, end + 1 - index];
    }
    default: {
      // An identity escape (a syntax character, or "-" in a class).
      const codePoint = source.codePointAt(index + 1)!;
      return [{ codePoint }, 1 + (codePoint > 0xffff ? 2 : 1)];
    }
  }
}

/** \u{…}, \uXXXX, or a surrogate pair of two \uXXXX (one code point with the u flag). */
function unicodeEscapeAt(source: string, index: number): [Atom, number] {
  if (source[index + 2] === '{') {
    const end = source.indexOf('}', index);
    return [{ codePoint: parseInt(source.slice(index + 3, end), 16) }, end + 1 - index];
  }
  const high = parseInt(source.slice(index + 2, index + 6), 16);
  const low = /^\\u([0-9A-Fa-f]{4})/.exec(source.slice(index + 6, index + 12));
  if (high >= 0xd800 && high <= 0xdbff && low) {
    const lowValue = parseInt(low[1], 16);
    if (lowValue >= 0xdc00 && lowValue <= 0xdfff) {
      return [{ codePoint: 0x10000 + ((high - 0xd800) << 10) + (lowValue - 0xdc00) }, 12];
    }
  }
  return [{ codePoint: high }, 6];
}

/** A \p{…} name as RE2 reads it with the same meaning: a general category (L, Lu…) or a script (Script=Greek). */
function re2Property(name: string): string {
  const [property, value] = name.includes('=') ? name.split('=') : ['General_Category', name];
  if (/^(General_Category|gc)$/.test(property) && /^[A-Z][a-z]?$/.test(value)) {
    return value;
  }
  if (/^(Script|sc)$/.test(property) && /^[A-Z][a-z]+(_[A-Z][a-z]+)*$/.test(value)) {
    return value;
  }
  throw new Refusal(`\\p{${name}} is not a property this check runs (general categories such as \\p{L} and scripts such as \\p{Script=Greek} are)`);
}
