/**
 * A .http request, as REST Client and httpyac send it. The body is written as it is, so it is sent with the file's
 * line breaks and without a final one; a JSON body means the same either way.
 */
import { ENVIRONMENT_VARIABLES, FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { BEARER, type SnippetRequest, snippetComment } from '../snippetRequest';

/** Both tools' variable syntax: {{…}} within a line, as httpyac matches it. */
const VARIABLE = /\{{2}\s*(.+?)\s*\}{2}/u;
/** httpyac's escape for a variable, \{\{…\}\}, turned back into {{…}} after variables are replaced. */
const ESCAPED_VARIABLE = /(?:\\\{){2}([^}]+?)(?:\\\}){2}/gu;

export function renderHttpFile(request: SnippetRequest): string {
  const token = request.token.from === 'literal' ? request.token.value : `{{$processEnv ${ENVIRONMENT_VARIABLES.token}}}`;
  const withVariables = [...request.headers.map(([, value]) => value), ...(request.body ? [request.body.text] : [])].filter((text) => VARIABLE.test(text));
  const notes = withVariables.length > 0 ? [variableNote(withVariables)] : [];
  const headers = [
    [FORTELLIS_HEADERS.authorization, `${BEARER} ${token}`],
    ...request.headers.map(([name, value]) => [name, escapedVariables(value)]),
    ...(request.body ? [[FORTELLIS_HEADERS.contentType, request.body.contentType]] : []),
  ];
  return [
    // Ends a request the snippet is inserted after.
    '###',
    ...[...snippetComment(request, 'Send it with REST Client or httpyac.'), ...notes].map((line) => `# ${line}`),
    `${request.method} ${request.url}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    ...(request.body ? ['', escapedVariables(request.body.text)] : []),
    '',
  ].join('\n');
}

/** What the file says about values that both tools would read as variables (a comment without braces: they could be read too). */
function variableNote(withVariables: string[]): string {
  return withVariables.every((text) => escapedVariables(text) !== text)
    ? 'Double braces below are escaped with backslashes, which httpyac removes: REST Client has no escape for them.'
    : 'Double braces below are read as variables by REST Client and httpyac: no escape keeps them as they are.';
}

/**
 * `text` with every {{…}} written \{\{…\}\}, if httpyac then sees no variable in it and turns it back into exactly
 * `text`; otherwise `text` as it is.
 */
function escapedVariables(text: string): string {
  const escaped = text.replace(new RegExp(VARIABLE, 'gu'), (variable) => `\\{\\{${variable.slice(2, -2)}\\}\\}`);
  const restored = escaped.replace(ESCAPED_VARIABLE, (_, inner: string) => `{{${inner}}}`);
  return restored === text && !VARIABLE.test(escaped) ? escaped : text;
}
