/**
 * Text written into a .http file (REST Client, httpyac): their variable syntax {{…}} and the one escape httpyac has
 * for it, \{\{…\}\}. The request snippets and "Open as .http" both escape values with this rule.
 */

import { ENVIRONMENT_VARIABLES } from '../tokenExport/environmentVariables';
import { escapedVariableMatches, type TemplateMatch, variableMatches } from './httpTemplates';
import { withoutControlCharacters } from './printable';

/**
 * The token as both tools read it when a request is sent from the editor or the httpyac CLI: FORTELLIS_TOKEN from the
 * `.env` file beside the .http file ({{$dotenv NAME}}). `{{$processEnv …}}` would read VS Code's own environment,
 * which has no token, and send `Bearer ` with nothing after it.
 */
export const DOTENV_TOKEN = `{{$dotenv ${ENVIRONMENT_VARIABLES.token}}}`;

/** The comment that says, in the .http file, how the token gets there. */
export const DOTENV_TOKEN_NOTE = `The token is ${ENVIRONMENT_VARIABLES.token} in the .env file beside this one. Open this file in VS Code and pick "Keep Token in .env": Fortellis Auth writes it there (private, git-ignored) and rewrites it on every renewal.`;

/** Whether a .http file's text reads the token from the .env beside it. */
export function readsTokenFromDotenv(text: string): boolean {
  return text.includes(DOTENV_TOKEN);
}

/** What both tools replace with a new UUID each time they send the request (REST Client's and httpyac's {{$guid}}). */
export const NEW_UUID = '{{$guid}}';

/** Both tools' variable syntax: {{…}} within a line, as httpyac matches it. */
export const VARIABLE = /\{{2}\s*(.+?)\s*\}{2}/u;
/** httpyac's escape for a variable, \{\{…\}\}, turned back into {{…}} after variables are replaced (see escapedVariableMatches). */
export const ESCAPED_VARIABLE = /(?:\\\{){2}([^}]+?)(?:\\\}){2}/u;

/**
 * `text` as a .http file must hold it for httpyac to send exactly `text`: every {{…}} written \{\{…\}\}. Undefined when
 * no writing does: a {{ no escape covers (e.g. {{ a } b }}), or a \{\{…\}\} of the text's own, which httpyac would
 * send as {{…}}. Linear in the text's length (httpTemplates.ts), whatever braces it holds.
 */
export function httpFileText(text: string): string | undefined {
  if (escapedVariableMatches(text).length > 0) {
    return undefined;
  }
  const escaped = replaced(text, variableMatches(text), (match) => `\\{\\{${text.slice(match.start + 2, match.end - 2)}\\}\\}`);
  const restored = replaced(escaped, escapedVariableMatches(escaped), (match) => `{{${match.inner}}}`);
  return restored === text && !escaped.includes('{{') ? escaped : undefined;
}

/** `text` with each match replaced. */
function replaced(text: string, matches: readonly TemplateMatch[], replacement: (match: TemplateMatch) => string): string {
  let result = '';
  let last = 0;
  for (const match of matches) {
    result += text.slice(last, match.start) + replacement(match);
    last = match.end;
  }
  return result + text.slice(last);
}

/**
 * The first line of a body that httpyac or REST Client would read as their own syntax rather than send (a comment or
 * `# @` metadata, `###`, `< file` to send a file, `>> file` to write the response, `@name = value`, `===`), or
 * undefined. A JSON body has none: its lines start with JSON.
 */
export function httpSyntaxLine(body: string): string | undefined {
  return body.split(/\r\n|\r|\n/u).find((line) => /^\s*(?:#|\/\/|<|>|@|===)/u.test(line));
}

const MAX_COMMENT = 200;

/** A comment's text from a file's author (a spec, a collection): one line, not read as httpyac metadata (`# @…`), no {{ (a comment is no place for a template). */
export function httpComment(text: string): string {
  return commentText(text).replace(/^[\s@#/]+/u, '');
}

/** Text from a file's author within a comment line: no line break, no {{, not too long. */
export function commentText(text: string): string {
  const line = withoutControlCharacters(text)
    .replace(/\s+/gu, ' ')
    .replace(/\{(?=\{)/gu, '{ ')
    .trim();
  return line.length > MAX_COMMENT ? `${line.slice(0, MAX_COMMENT)}…` : line;
}

/** A URL (or the Subscription-Id) as one token: anything but printable ASCII, and braces, percent-encoded. */
export function urlText(text: string): string {
  return text.replace(/[^\x21-\x7e]|[{}]/gu, (char) => ASCII_ESCAPES[char.charCodeAt(0)] ?? percentEncoded(char));
}

function percentEncoded(char: string): string {
  return Array.from(UTF8.encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

const UTF8 = new TextEncoder();
/** The ASCII characters' escapes, made once (a URL of megabytes of braces is escaped in linear time with a small constant). */
const ASCII_ESCAPES: readonly string[] = Array.from({ length: 128 }, (_, code) => percentEncoded(String.fromCharCode(code)));

/**
 * The body as JSON only (pretty-printed), its {{ escaped the way httpyac reads them: a body that is not JSON (a
 * text/plain example) is written as a JSON string, so no line of it can be a request line or a `###`.
 */
export function jsonBody(text: string): { text: string; note?: string } {
  let json: string;
  let note: string | undefined;
  try {
    json = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    json = JSON.stringify(text);
    note = 'the example body is not JSON: it is written as a JSON string';
  }
  // JSON.stringify leaves C1 controls and the line separators as they are: written as \u escapes (they are in strings).
  json = json.replace(/[\u007f-\u009f\u2028\u2029]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Where httpyac's escape cannot keep the text as it is, a { in a string is written as the JSON escape \u007b.
  return { text: httpFileText(json) ?? json.replace(/\{(?=\{)/gu, '\\u007b'), ...(note && { note }) };
}
