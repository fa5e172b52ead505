/**
 * Text written into a .http file (REST Client, httpyac): their variable syntax {{…}} and the one escape httpyac has
 * for it, \{\{…\}\}. The request snippets and "Open as .http" both escape values with this rule.
 */

import { ENVIRONMENT_VARIABLES } from '../tokenExport/environmentVariables';

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
/** httpyac's escape for a variable, \{\{…\}\}, turned back into {{…}} after variables are replaced. */
const ESCAPED_VARIABLE = /(?:\\\{){2}([^}]+?)(?:\\\}){2}/gu;

/**
 * `text` as a .http file must hold it for httpyac to send exactly `text`: every {{…}} written \{\{…\}\}. Undefined when
 * no writing does: a {{ no escape covers (e.g. {{ a } b }}), or a \{\{…\}\} of the text's own, which httpyac would
 * send as {{…}}.
 */
export function httpFileText(text: string): string | undefined {
  if (new RegExp(ESCAPED_VARIABLE.source, 'u').test(text)) {
    return undefined;
  }
  const escaped = text.replace(new RegExp(VARIABLE, 'gu'), (variable) => `\\{\\{${variable.slice(2, -2)}\\}\\}`);
  const restored = escaped.replace(ESCAPED_VARIABLE, (_, inner: string) => `{{${inner}}}`);
  return restored === text && !escaped.includes('{{') ? escaped : undefined;
}

/**
 * The first line of a body that httpyac or REST Client would read as their own syntax rather than send (a comment or
 * `# @` metadata, `###`, `< file` to send a file, `>> file` to write the response, `@name = value`, `===`), or
 * undefined. A JSON body has none: its lines start with JSON.
 */
export function httpSyntaxLine(body: string): string | undefined {
  return body.split(/\r\n|\r|\n/u).find((line) => /^\s*(?:#|\/\/|<|>|@|===)/u.test(line));
}
