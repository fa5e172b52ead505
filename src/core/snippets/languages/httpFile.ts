/**
 * A .http request, as REST Client and httpyac send it. The body is written as it is, so it is sent with the file's
 * line breaks and without a final one; a JSON body means the same either way.
 */
import { ENVIRONMENT_VARIABLES, FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { escapedVariables, VARIABLE } from '../../text/httpFileText';
import { BEARER, type SnippetRequest, snippetComment } from '../snippetRequest';

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
