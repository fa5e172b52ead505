/**
 * String literals with backslash escapes, as Python, JavaScript, Go, Java and C# write them. Every literal is one line:
 * line breaks and tabs are escaped, so the value does not depend on the file's line endings or an editor's tab setting.
 */

export interface BackslashEscapes {
  /** The quote the literal is written in; the other one is left as it is. */
  readonly quote: '"' | "'";
  /** How a control character other than \n, \r and \t is written (from its code, < 0x20 or 0x7f). */
  readonly control: (code: number) => string;
  /** Characters beyond ASCII: kept (the file is UTF-8), or written as \uXXXX escapes of their UTF-16 code units. */
  readonly nonAscii: 'keep' | 'escape';
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/** A quoted literal whose value is exactly `text`. */
export function backslashLiteral(text: string, escapes: BackslashEscapes): string {
  let literal = escapes.quote;
  for (const char of text) {
    literal += escapedChar(char, escapes);
  }
  return literal + escapes.quote;
}

function escapedChar(char: string, escapes: BackslashEscapes): string {
  const named = NAMED_ESCAPES[char];
  if (named) {
    return named;
  }
  if (char === escapes.quote) {
    return `\\${char}`;
  }
  const code = char.codePointAt(0) ?? 0;
  if (isControl(code)) {
    return escapes.control(code);
  }
  if (code > 0x7f && escapes.nonAscii === 'escape') {
    return Array.from({ length: char.length }, (_, index) => `\\u${hex(char.charCodeAt(index), 4)}`).join('');
  }
  return char;
}

/** The quote that needs fewer escapes in `text`, `preferred` when it is a tie. */
export function lighterQuote(text: string, preferred: '"' | "'"): '"' | "'" {
  const other = preferred === '"' ? "'" : '"';
  return count(text, preferred) > count(text, other) ? other : preferred;
}

/** C0 controls and DEL: what a one-line literal escapes besides quotes and backslashes. */
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** Whether `text` has a control character, so a language's plain literal form cannot hold it. */
export function hasControl(text: string): boolean {
  return Array.from(text).some((char) => isControl(char.charCodeAt(0)));
}

/** Upper-case hexadecimal, zero-padded to `digits`. */
export function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
