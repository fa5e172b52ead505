/**
 * "Open as .http": every operation of a spec as one .http file (httpyac, REST Client), each request filled with the
 * spec's examples, reading the token from FORTELLIS_TOKEN and sending a new Request-Id each time.
 *
 * The spec comes from a repository and its author may be hostile: nothing it says may become a line of the file's
 * own (a request line, a header, a `###` separator, a `@variable` or `# @metadata` line) or an httpyac template
 * ({{…}}, which runs JavaScript). So an operation whose path key is not a plain URL path is skipped with a comment;
 * comments are one line, without templates or a leading `@`; a header is written only with a name and a value the
 * one header rule accepts (fortellisHeaders.ts: printable ASCII); bodies are written as JSON only, with every {{ escaped.
 */
import { FORTELLIS_HEADERS, headerValueRefusal, JSON_MEDIA_TYPE } from '../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../tokenExport/environmentVariables';
import { BEARER } from '../snippets/snippetRequest';
import { httpFileText } from '../text/httpFileText';
import { withoutControlCharacters } from '../text/printable';
import { exampleValues, filledRequest, headersNotSent } from './specRequest';
import { type BundledSpec, specOperation } from './specModel';
import type { OperationLocation } from './specDocument';

export interface SpecHttpFileOptions {
  readonly title: string;
  /** Where the operations are called (see mappedBaseUrl). */
  readonly baseUrl: string;
  readonly subscriptionId: string;
}

/** A path key as a URL path has it: RFC 3986 path characters, percent escapes and {parameter} templates. */
const PATH_KEY = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2}|\{[A-Za-z0-9_.\-$]+\})*$/u;
const MAX_COMMENT = 200;

export function specHttpFile(spec: BundledSpec, operations: readonly OperationLocation[], options: SpecHttpFileOptions): string {
  const lines = [
    `# ${comment(options.title)}: every operation of the spec, filled with its examples. Send them with httpyac or REST Client.`,
    `# The token is read from ${ENVIRONMENT_VARIABLES.token}: "Fortellis: Get Fortellis Token" gives it to VS Code's integrated terminals.`,
    `@baseUrl = ${urlText(options.baseUrl)}`,
    `@subscriptionId = ${urlText(options.subscriptionId)}`,
    '',
  ];
  for (const location of operations) {
    const method = /^[A-Z]+$/u.test(location.method) ? location.method : comment(location.method);
    if (!PATH_KEY.test(location.path)) {
      const shown = oneLine(JSON.stringify(location.path).slice(1, -1));
      lines.push('###', `# skipped: ${method} ${shown}: the spec's path has control characters or characters not valid in a URL path`, '');
      continue;
    }
    const operation = specOperation(spec, location.method, location.path);
    if (!operation) {
      continue;
    }
    let request;
    try {
      request = filledRequest(spec.document, operation, '{{baseUrl}}', exampleValues(operation));
    } catch (error) {
      lines.push('###', `# ${operation.method} ${oneLine(operation.path)}: left out (${comment((error as Error).message)})`, '');
      continue;
    }
    const url = `{{baseUrl}}${urlText(request.url.slice('{{baseUrl}}'.length))}`;
    const notes: string[] = headersNotSent(operation).map(comment);
    const headers: string[] = [];
    for (const [name, value] of request.headers) {
      const written = headerLine(name, value);
      if (written.line !== undefined) {
        headers.push(written.line);
      } else {
        notes.push(written.note);
      }
    }
    const body = request.body === undefined ? undefined : jsonBody(request.body);
    if (body?.note) {
      notes.push(body.note);
    }
    lines.push(
      '###',
      ...(operation.summary ? [`# ${comment(operation.summary)}`] : []),
      ...notes.map((note) => `# ${note}`),
      ...(operation.operationId && /^[\w-]+$/.test(operation.operationId) ? [`# @name ${operation.operationId}`] : []),
      `${request.method} ${url}`,
      `${FORTELLIS_HEADERS.authorization}: ${BEARER} {{$processEnv ${ENVIRONMENT_VARIABLES.token}}}`,
      `${FORTELLIS_HEADERS.subscriptionId}: {{subscriptionId}}`,
      `${FORTELLIS_HEADERS.requestId}: {{$guid}}`,
      `${FORTELLIS_HEADERS.accept}: ${mediaType(request.accept)}`,
      ...headers,
      ...(body !== undefined ? [`${FORTELLIS_HEADERS.contentType}: ${mediaType(request.contentType ?? JSON_MEDIA_TYPE)}`, '', body.text] : []),
      '',
    );
  }
  return lines.join('\n');
}

/** A comment's text: one line, not read as httpyac metadata (`# @…`), no {{ (a comment is no place for a template). */
function comment(text: string): string {
  return oneLine(text).replace(/^[\s@#/]+/u, '');
}

/** Text from the spec within a comment line: no line break, no {{, not too long. */
function oneLine(text: string): string {
  const line = withoutControlCharacters(text)
    .replace(/\s+/gu, ' ')
    .replace(/\{(?=\{)/gu, '{ ')
    .trim();
  return line.length > MAX_COMMENT ? `${line.slice(0, MAX_COMMENT)}…` : line;
}

/** A URL (or the Subscription-Id) as one token: anything but printable ASCII, and braces, percent-encoded. */
function urlText(text: string): string {
  return text.replace(/[^\x21-\x7e]|[{}]/gu, (char) =>
    Array.from(new TextEncoder().encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** A media type from the spec for Accept or Content-Type, else JSON's. */
function mediaType(text: string): string {
  return headerValueRefusal(FORTELLIS_HEADERS.accept, text) === undefined && !text.includes('{') && !text.includes('}') && text.trim() !== ''
    ? text
    : JSON_MEDIA_TYPE;
}

/** `Name: value` of a header parameter filledRequest kept, or why its value is left out (no line of the spec's choosing, no template). */
function headerLine(name: string, value: string): { line: string; note?: undefined } | { line?: undefined; note: string } {
  if (headerValueRefusal(name, value)) {
    return { note: `${name} left out: its example has line breaks or characters other than printable ASCII` };
  }
  const escaped = httpFileText(value.trim());
  if (escaped === undefined) {
    return { note: `${name} left out: its example has double braces that cannot be escaped` };
  }
  return { line: `${name}: ${escaped}` };
}

/**
 * The body as JSON only (pretty-printed), its {{ escaped the way httpyac reads them: a body that is not JSON (a
 * text/plain example) is written as a JSON string, so no line of it can be a request line or a `###`.
 */
function jsonBody(text: string): { text: string; note?: string } {
  let json: string;
  let note: string | undefined;
  try {
    json = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    json = JSON.stringify(text);
    note = "the spec's example body is not JSON: it is written as a JSON string";
  }
  // JSON.stringify leaves C1 controls and the line separators as they are: written as \u escapes (they are in strings).
  json = json.replace(/[\u007f-\u009f\u2028\u2029]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Where httpyac's escape cannot keep the text as it is, a { in a string is written as the JSON escape \u007b.
  return { text: httpFileText(json) ?? json.replace(/\{(?=\{)/gu, '\\u007b'), ...(note && { note }) };
}
