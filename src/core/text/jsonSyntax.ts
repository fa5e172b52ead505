/**
 * Where a JSON text breaks, and why: JSON.parse says whether it does, but not always where (Node 20 says "Unexpected
 * token '}'" without a position). One pass with an explicit stack, so a hostile body nested 100,000 deep costs no
 * recursion. A property in test/unit/jsonSyntax.test.ts checks that it accepts exactly what JSON.parse accepts.
 */

export interface JsonSyntaxError {
  /** The index in the text where it breaks (its length when the text ends too soon). */
  readonly offset: number;
  readonly message: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

function describe(char: string | undefined): string {
  return char === undefined ? 'the end' : JSON.stringify(char);
}

/** Past the string that starts at `start` (a '"'), or where it breaks. */
function stringEnd(text: string, start: number): number | JsonSyntaxError {
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      return index + 1;
    }
    if (char < ' ') {
      return { offset: index, message: 'A string may not hold a line break or a control character: write it as \\n, \\t or \\u….' };
    }
    if (char === '\\') {
      const next = text[index + 1];
      if (next === 'u') {
        HEX4.lastIndex = index + 2;
        if (!HEX4.test(text)) {
          return { offset: index, message: 'A \\u escape needs four hexadecimal digits.' };
        }
        index += 5;
      } else if (next !== undefined && ESCAPES.has(next)) {
        index++;
      } else {
        return { offset: index, message: `${describe(`\\${next ?? ''}`)} is not an escape JSON knows.` };
      }
    }
  }
  return { offset: text.length, message: 'A string is not closed: a " is missing.' };
}

/** Past the number, true, false or null at `start`; -1 when there is none. */
function scalarEnd(text: string, start: number): number {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) {
      return start + literal.length;
    }
  }
  NUMBER.lastIndex = start;
  return NUMBER.test(text) ? NUMBER.lastIndex : -1;
}

/** Where and why `text` is not JSON; undefined when it is. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const containers: Array<'object' | 'array'> = [];
  let index = 0;
  let expecting: 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'next' = 'value';
  const fail = (message: string): JsonSyntaxError => ({ offset: index, message });
  for (;;) {
    while (index < text.length && WHITESPACE.has(text[index])) {
      index++;
    }
    const char = text[index];
    if (expecting === 'value' || expecting === 'valueOrEnd') {
      if (expecting === 'valueOrEnd' && char === ']') {
        index++;
        containers.pop();
        expecting = 'next';
      } else if (char === '{' || char === '[') {
        index++;
        containers.push(char === '{' ? 'object' : 'array');
        expecting = char === '{' ? 'keyOrEnd' : 'valueOrEnd';
      } else if (char === '"') {
        const end = stringEnd(text, index);
        if (typeof end !== 'number') {
          return end;
        }
        index = end;
        expecting = 'next';
      } else {
        const end = scalarEnd(text, index);
        if (end === -1) {
          return fail(`A value (a string, number, object, array, true, false or null) was expected, not ${describe(char)}.`);
        }
        index = end;
        expecting = 'next';
      }
    } else if (expecting === 'key' || expecting === 'keyOrEnd') {
      if (expecting === 'keyOrEnd' && char === '}') {
        index++;
        containers.pop();
        expecting = 'next';
        continue;
      }
      if (char !== '"') {
        return fail(`A property name in double quotes was expected, not ${describe(char)}.`);
      }
      const end = stringEnd(text, index);
      if (typeof end !== 'number') {
        return end;
      }
      index = end;
      while (index < text.length && WHITESPACE.has(text[index])) {
        index++;
      }
      if (text[index] !== ':') {
        return fail(`A ":" was expected after the property name, not ${describe(text[index])}.`);
      }
      index++;
      expecting = 'value';
    } else {
      const container = containers.at(-1);
      if (container === undefined) {
        return index === text.length ? undefined : fail(`Nothing may follow the JSON value, but ${describe(char)} does.`);
      }
      const close = container === 'object' ? '}' : ']';
      if (char === ',') {
        index++;
        expecting = container === 'object' ? 'key' : 'value';
      } else if (char === close) {
        index++;
        containers.pop();
      } else {
        return fail(`A "," or "${close}" was expected, not ${describe(char)}.`);
      }
    }
  }
}
