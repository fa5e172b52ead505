/**
 * A .http request, as REST Client and httpyac send it. The body is written as it is, so it is sent with the file's
 * line breaks and without a final one; a JSON body means the same either way.
 */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { httpFileText, httpSyntaxLine, VARIABLE } from '../../text/httpFileText';
import { printable } from '../../text/printable';
import { BEARER, type SnippetRequest, snippetComment } from '../snippetRequest';

/**
 * Throws when httpyac would not send the request as it is: a header value, the Content-Type or the body has a {{ no
 * escape keeps as text (httpyac would run or replace it), or a body line it would read as its own syntax (a file to
 * send, a response to write, another request).
 */
export function renderHttpFile(request: SnippetRequest): string {
  const token = request.token.from === 'literal' ? request.token.value : `{{$processEnv ${ENVIRONMENT_VARIABLES.token}}}`;
  const values = [...request.headers.map(([, value]) => value), ...(request.body ? [request.body.contentType, request.body.text] : [])];
  const written = (text: string): string => {
    const kept = httpFileText(text);
    if (kept === undefined) {
      throw new Error(
        'A .http file cannot hold this request: a value has "{{" that httpyac would run or replace, and no escape keeps it as text. Pick another language, or change the value.',
      );
    }
    return kept;
  };
  const syntaxLine = request.body && httpSyntaxLine(request.body.text);
  if (syntaxLine !== undefined) {
    throw new Error(
      `A .http file cannot hold this body: httpyac and REST Client would read its line "${printable(syntaxLine)}" as their own syntax (a file to send, a response to write, another request). Pick another language.`,
    );
  }
  const notes = values.some((text) => VARIABLE.test(text))
    ? ['Double braces below are escaped with backslashes, which httpyac removes: REST Client has no escape for them.']
    : [];
  const headers = [
    [FORTELLIS_HEADERS.authorization, `${BEARER} ${token}`],
    ...request.headers.map(([name, value]) => [name, written(value)]),
    ...(request.body ? [[FORTELLIS_HEADERS.contentType, written(request.body.contentType)]] : []),
  ];
  return [
    // Ends a request the snippet is inserted after.
    '###',
    ...[...snippetComment(request, 'Send it with REST Client or httpyac.'), ...notes].map((line) => `# ${line}`),
    `${request.method} ${request.url}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    ...(request.body ? ['', written(request.body.text)] : []),
    '',
  ].join('\n');
}
