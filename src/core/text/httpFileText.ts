/**
 * Text written into a .http file (REST Client, httpyac): their variable syntax {{…}} and the one escape httpyac has
 * for it, \{\{…\}\}. The request snippets and "Open as .http" both escape values with this rule.
 */

/** Both tools' variable syntax: {{…}} within a line, as httpyac matches it. */
export const VARIABLE = /\{{2}\s*(.+?)\s*\}{2}/u;
/** httpyac's escape for a variable, \{\{…\}\}, turned back into {{…}} after variables are replaced. */
const ESCAPED_VARIABLE = /(?:\\\{){2}([^}]+?)(?:\\\}){2}/gu;

/**
 * `text` with every {{…}} written \{\{…\}\}, if httpyac then sees no variable in it and turns it back into exactly
 * `text`; otherwise `text` as it is (callers that must not write a variable check for a `{{` left in it).
 */
export function escapedVariables(text: string): string {
  const escaped = text.replace(new RegExp(VARIABLE, 'gu'), (variable) => `\\{\\{${variable.slice(2, -2)}\\}\\}`);
  const restored = escaped.replace(ESCAPED_VARIABLE, (_, inner: string) => `{{${inner}}}`);
  return restored === text && !VARIABLE.test(escaped) ? escaped : text;
}

/** Whether `text` has a `{{` (the start of a variable or of a script block) that no backslash escapes. */
export function hasUnescapedBraces(text: string): boolean {
  return text.includes('{{');
}
