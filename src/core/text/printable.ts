/** Server-supplied text, shortened and stripped of control characters before it reaches a message. */
export function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean.length > 160 ? `${clean.slice(0, 160)}…` : clean;
}

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: what can start a new line somewhere. */
const CONTROL_OR_LINE_BREAK = /[\p{Cc}\u2028\u2029]/u;

/** Whether `text` has a control character or a line separator. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_OR_LINE_BREAK.test(text);
}

/** `text` on one line: every control character and line separator replaced by a space. */
export function withoutControlCharacters(text: string): string {
  return text.replace(new RegExp(CONTROL_OR_LINE_BREAK, 'gu'), ' ');
}
