/**
 * A .http request, as REST Client and httpyac send it. The body is written as it is, so it is sent with the file's
 * line breaks and without a final one; a JSON body means the same either way.
 */
import { ENVIRONMENT_VARIABLES, FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { escapedVariables, hasUnescapedBraces, VARIABLE } from '../../text/httpFileText';
import { BEARER, type SnippetRequest, snippetComment } from '../snippetRequest';

/**
 * Throws when a header value or the body has a {{ that no escape keeps as text (e.g. {{ a } b }}): httpyac would read
 * it as a variable or run it as a script, so such a request cannot be a .http file.
 */
export function renderHttpFile(request: SnippetRequest): string {
  const token = request.token.from === 'literal' ? request.token.value : `{{$processEnv ${ENVIRONMENT_VARIABLES.token}}}`;
  const values = [...request.headers.map(([, value]) => value), ...(request.body ? [request.body.text] : [])];
  if (values.some((text) => hasUnescapedBraces(escapedVariables(text)))) {
    throw new Error(
      'A .http file cannot hold this request: a value has "{{" that httpyac would run or replace, and no escape keeps it as text. Pick another language, or change the value.',
    );
  }
  const notes = values.some((text) => VARIABLE.test(text))
    ? ['Double braces below are escaped with backslashes, which httpyac removes: REST Client has no escape for them.']
    : [];
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
