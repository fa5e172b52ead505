/**
 * Reads a .http file the Postman import wrote, as strictly as its own layout, and throws where a line is anything
 * else: so a test sees a line the converter did not write (another request, a header, a `###`, a `@variable`, a
 * `# @` metadata line or a template) wherever a collection's text put it.
 */
import assert from 'node:assert/strict';
import { httpSyntaxLine, VARIABLE } from '../../../src/core/text/httpFileText';

export interface WrittenRequest {
  readonly comments: readonly string[];
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

export interface WrittenFile {
  readonly variables: ReadonlyMap<string, string>;
  readonly requests: readonly WrittenRequest[];
  /** Sections left without a request (a request left out), by their comments. */
  readonly leftOut: ReadonlyArray<readonly string[]>;
}

/** The templates the converter writes itself; {{name}} more only for the file's own @variables. */
const OWN_TEMPLATES: ReadonlySet<string> = new Set(['{{$dotenv FORTELLIS_TOKEN}}', '{{$guid}}', '{{$timestamp}}']);
const COMMENT = /^# [^@#\s/]/u;
const HEADER = /^([0-9A-Za-z][!#$%&'*+.^_`|~0-9A-Za-z-]*): ([\x20-\x7e]*)$/u;
const REQUEST_LINE = /^([A-Z]{1,20}) (\S+)$/u;
const FORTELLIS_LINES = ['Authorization: Bearer {{$dotenv FORTELLIS_TOKEN}}', 'Subscription-Id: {{subscriptionId}}', 'Request-Id: {{$guid}}'];

export function writtenFile(text: string): WrittenFile {
  assert.doesNotMatch(text, /[\r\v\f\u0085\u2028\u2029]/u, 'no line break but \\n');
  const sections = text.split('\n###\n');
  const head = sections.shift()!.split('\n');
  assert.ok(!head.some((line) => line.startsWith('###')), 'no ### in the head');
  const variables = new Map<string, string>();
  for (const line of head) {
    if (line === '' || COMMENT.test(line)) {
      assert.ok(line === '' || !VARIABLE.test(line), `no template in a comment: ${line}`);
      continue;
    }
    const variable = /^@([A-Za-z_][A-Za-z0-9_]*) =(?: (.*))?$/u.exec(line);
    assert.ok(variable, `a head line is a comment or a variable: ${JSON.stringify(line)}`);
    assert.doesNotMatch(variable[2] ?? '', /\{\{|\}\}|\\[{}]/u, `a variable's value holds no template, escaped or not: ${line}`);
    variables.set(variable[1], variable[2] ?? '');
  }
  const templates = (line: string) => {
    for (const [template] of line.matchAll(new RegExp(VARIABLE.source, 'gu'))) {
      assert.ok(
        OWN_TEMPLATES.has(template) || variables.has(template.slice(2, -2)),
        `a template the converter did not write: ${template} in ${JSON.stringify(line)}`,
      );
    }
  };
  const requests: WrittenRequest[] = [];
  const leftOut: string[][] = [];
  for (const section of sections) {
    const lines = section.replace(/\n$/u, '').split('\n');
    assert.ok(!lines.some((line) => line.startsWith('###')), 'every ### is a section of its own');
    const comments: string[] = [];
    while (lines.length > 0 && COMMENT.test(lines[0])) {
      assert.ok(!VARIABLE.test(lines[0]), `no template in a comment: ${lines[0]}`);
      comments.push(lines.shift()!);
    }
    if (lines.length === 0 || (lines.length === 1 && lines[0] === '')) {
      leftOut.push(comments);
      continue;
    }
    const requestLine = REQUEST_LINE.exec(lines.shift()!);
    assert.ok(requestLine, `a request line after the comments: ${JSON.stringify(section)}`);
    templates(requestLine[2]);
    assert.match(requestLine[2], /^(?:https?:\/\/|\{\{[A-Za-z_][A-Za-z0-9_]*\}\})/u, 'an http(s) URL or one starting with a variable');
    assert.deepEqual(lines.slice(0, 3), FORTELLIS_LINES, 'the Fortellis headers first');
    const headers: Array<[string, string]> = [];
    let line: string | undefined;
    while ((line = lines.shift()) !== undefined && line !== '') {
      const header = HEADER.exec(line);
      assert.ok(header, `a header line: ${JSON.stringify(line)}`);
      templates(line);
      headers.push([header[1], header[2]]);
    }
    for (const name of ['authorization', 'subscription-id', 'request-id']) {
      assert.equal(headers.filter(([each]) => each.toLowerCase() === name).length, 1, `one ${name}`);
    }
    let body: string | undefined;
    if (line === '') {
      body = lines.join('\n');
      assert.equal(httpSyntaxLine(body), undefined, `no .http syntax in a body: ${JSON.stringify(body)}`);
      lines.forEach(templates);
    }
    requests.push({ comments, method: requestLine[1], url: requestLine[2], headers, ...(body !== undefined && { body }) });
  }
  return { variables, requests, leftOut };
}
