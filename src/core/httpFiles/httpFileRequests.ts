/**
 * The requests of a `.http` file, read the way REST Client and httpyac read them, for Fortellis Auth's own Send: a
 * block per request between `###` lines; in a block, comments (`#`, `//`) and file variables (`@name = value`), the
 * request line (`METHOD URL [HTTP/1.1]`, or a URL alone for GET) with `?`/`&` continuation lines, headers up to the
 * first blank line, then the body. `{{name}}` takes a file variable; the dynamic values Fortellis files use are known
 * ({{$guid}}, {{$uuid}}, {{$timestamp}}, and FORTELLIS_TOKEN / FORTELLIS_SUBSCRIPTION_ID through {{$dotenv}} or
 * {{$processEnv}}). Anything else is a problem at its line, never a guess.
 */
import { ENVIRONMENT_VARIABLES } from '../tokenExport/environmentVariables';
import { escapedVariableMatches, variableMatches } from '../text/httpTemplates';
import { jsonSyntaxError } from '../text/jsonSyntax';

export interface HttpFileRequest {
  /** 0-based line of the request line: where its code lens is. */
  readonly line: number;
  readonly method: string;
  /** As written, variables resolved: absolute, or a path the caller puts under the API base. */
  readonly url: string;
  /** In file order, variables resolved. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

export interface HttpFileProblem {
  /** 0-based. */
  readonly line: number;
  readonly message: string;
}

export type ReadRequest = { readonly ok: true; readonly request: HttpFileRequest } | { readonly ok: false; readonly problem: HttpFileProblem };

/** What the dynamic values stand for in this send. */
export interface DynamicValues {
  readonly newUuid: () => string;
  readonly now: () => number;
  /** FORTELLIS_SUBSCRIPTION_ID: the profile's default, '' if it has none. */
  readonly subscriptionId: string;
}

/** Stands for the token wherever the file reads FORTELLIS_TOKEN: only the Authorization header may hold it, and the sender sets that header itself. */
export const TOKEN_PLACEHOLDER = '\u0000fortellis-token\u0000';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const SEPARATOR = /^\s*###/;
const COMMENT = /^\s*(?:#|\/\/)/;
const FILE_VARIABLE = /^\s*@([A-Za-z_][\w.-]*)\s*=\s?(.*)$/;
const URL_ONLY = /^(?:https?:\/\/|\/|\{\{)\S*$/i;
const HTTP_VERSION = /\sHTTP\/[\d.]+$/i;
const CONTINUATION = /^\s+[?&]\S*\s*$/;
const HEADER_NAME = /^[^:\s]+$/;

// The lines are read without a regular expression that backtracks: a hostile file's line of megabytes of blanks is
// read in linear time (a lazy `.*?` before `\s*$` took a minute on 160,000 blanks, on the extension host's thread).

/** A request line: `METHOD target [HTTP/x.y]`, or a URL alone (GET). */
function requestLineOf(line: string): { readonly method: string; readonly target: string } | undefined {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const first = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  const method = space !== -1 && METHODS.includes(first) ? first : undefined;
  let target = method ? trimmed.slice(space).trim() : trimmed;
  const version = HTTP_VERSION.exec(target);
  if (version) {
    target = target.slice(0, version.index).trim();
  }
  if (method) {
    return target ? { method, target } : undefined;
  }
  return URL_ONLY.test(target) ? { method: 'GET', target } : undefined;
}

/** A header line `Name: value`, the value without the blanks around it. */
function headerOf(line: string): readonly [string, string] | undefined {
  const colon = line.indexOf(':');
  const name = colon === -1 ? '' : line.slice(0, colon).trim();
  return HEADER_NAME.test(name) ? [name, line.slice(colon + 1).trim()] : undefined;
}
/** How deep file variables may refer to each other; deeper (or a cycle) is a problem. */
const MAX_VARIABLE_DEPTH = 10;
/** How long a line, the URL or the body may grow once variables are filled in (variables of variables double fast). */
export const MAX_RESOLVED_CHARS = 5 * 1024 * 1024;

interface Block {
  readonly start: number;
  readonly lines: readonly string[];
}

const linesOf = (text: string): string[] => text.split(/\r?\n/);

function blocks(lines: readonly string[]): Block[] {
  const found: Block[] = [];
  let start = 0;
  for (let index = 0; index <= lines.length; index++) {
    if (index === lines.length || SEPARATOR.test(lines[index])) {
      found.push({ start, lines: lines.slice(start, index) });
      start = index + 1;
    }
  }
  return found;
}

/** The index in the block of its request line, or -1 when it has none (comments and variables only). */
function requestLineIndex(block: Block): number {
  for (let index = 0; index < block.lines.length; index++) {
    const line = block.lines[index];
    if (line.trim() === '' || COMMENT.test(line) || FILE_VARIABLE.test(line)) {
      continue;
    }
    return requestLineOf(line) ? index : -1;
  }
  return -1;
}

/** The index in the block of the blank line that ends the request line's headers (the block's end when there is none). */
function headersEnd(block: Block, from: number): number {
  let index = from;
  while (index < block.lines.length && block.lines[index].trim() !== '') {
    index++;
  }
  return index;
}

/** The 0-based lines of the file's request lines, for the code lenses: no variable is resolved. */
export function requestLines(text: string): number[] {
  return blocks(linesOf(text)).flatMap((block) => {
    const index = requestLineIndex(block);
    return index === -1 ? [] : [block.start + index];
  });
}

/** The file variables defined up to `beforeLine` (a later definition wins), as written. */
function fileVariables(lines: readonly string[], beforeLine: number): Map<string, string> {
  const variables = new Map<string, string>();
  lines.slice(0, beforeLine).forEach((line) => {
    const match = FILE_VARIABLE.exec(line);
    if (match) {
      variables.set(match[1], match[2].trim());
    }
  });
  return variables;
}

class Unresolved extends Error {}

function resolver(variables: Map<string, string>, values: DynamicValues): (text: string) => string {
  const dynamic = (inner: string): string | undefined => {
    const [name, ...args] = inner.split(/\s+/);
    switch (name) {
      case '$guid':
      case '$uuid':
      case '$randomUUID':
        return values.newUuid();
      case '$timestamp':
        return args.length === 0 ? String(Math.floor(values.now() / 1000)) : undefined;
      case '$dotenv':
      case '$processEnv': {
        const variable = args.length === 1 ? args[0].replace(/^%/, '') : '';
        if (variable === ENVIRONMENT_VARIABLES.token) {
          return TOKEN_PLACEHOLDER;
        }
        return variable === ENVIRONMENT_VARIABLES.subscriptionId ? values.subscriptionId : undefined;
      }
      default:
        return undefined;
    }
  };
  const tooLarge = () => new Unresolved(`The request grows past ${MAX_RESOLVED_CHARS / 1024 / 1024} MB once its variables are filled in: nothing is sent.`);
  // Each variable is filled in once: a variable used many times, in variables used many times, costs no more.
  const filledIn = new Map<string, string>();
  const resolve = (text: string, depth: number): string => {
    let resolved = '';
    let from = 0;
    for (const match of variableMatches(text)) {
      const value = match.inner.startsWith('$') ? dynamic(match.inner) : variables.get(match.inner);
      if (value === undefined) {
        throw new Unresolved(
          match.inner.startsWith('$')
            ? `{{${match.inner}}} is not a value Fortellis Auth's Send knows: write the value, or send this request with REST Client or httpyac.`
            : `{{${match.inner}}} is not defined: add "@${match.inner} = …" above the request.`,
        );
      }
      if (depth >= MAX_VARIABLE_DEPTH) {
        throw new Unresolved(`{{${match.inner}}} refers to variables more than ${MAX_VARIABLE_DEPTH} deep (a cycle?).`);
      }
      let part = value;
      if (!match.inner.startsWith('$')) {
        part = filledIn.get(match.inner) ?? resolve(value, depth + 1);
        filledIn.set(match.inner, part);
      }
      resolved += text.slice(from, match.start) + part;
      if (resolved.length > MAX_RESOLVED_CHARS) {
        throw tooLarge();
      }
      from = match.end;
    }
    return resolved + text.slice(from);
  };
  // One budget for the whole request (its URL, headers and body together), so that many lines each just under it do
  // not add up to gigabytes. httpyac's escape, \{\{…\}\}, is sent as {{…}}: after the variables, as httpyac does.
  let total = 0;
  return (text) => {
    const filled = resolve(text, 0);
    total += filled.length;
    if (total > MAX_RESOLVED_CHARS) {
      throw tooLarge();
    }
    return unescaped(filled);
  };
}

/** `text` with httpyac's escapes \{\{…\}\} turned into the {{…}} they send. */
function unescaped(text: string): string {
  let result = '';
  let from = 0;
  for (const match of escapedVariableMatches(text)) {
    result += `${text.slice(from, match.start)}{{${match.inner}}}`;
    from = match.end;
  }
  return result + text.slice(from);
}

/** The request of the block that holds `line` (0-based), its variables resolved; or the first problem, at its line. */
export function requestAt(text: string, line: number, values: DynamicValues): ReadRequest {
  const lines = linesOf(text);
  const block = blocks(lines).find((candidate) => line >= candidate.start && line < candidate.start + candidate.lines.length);
  const index = block ? requestLineIndex(block) : -1;
  if (!block || index === -1) {
    return { ok: false, problem: { line, message: 'There is no request here: a request starts with a line like "GET https://…".' } };
  }
  const resolve = resolver(fileVariables(lines, block.start + block.lines.length), values);
  let at = block.start + index;
  const problem = (message: string): ReadRequest => ({ ok: false, problem: { line: at, message } });
  try {
    const requestLine = block.lines[index];
    const { method, target } = requestLineOf(requestLine) ?? { method: 'GET', target: '' };
    let url = resolve(target);
    let next = index + 1;
    for (; next < block.lines.length && CONTINUATION.test(block.lines[next]); next++) {
      at = block.start + next;
      url += resolve(block.lines[next].trim());
    }
    const headers: Array<readonly [string, string]> = [];
    const end = headersEnd(block, next);
    for (; next < end; next++) {
      at = block.start + next;
      const header = block.lines[next];
      if (COMMENT.test(header)) {
        continue;
      }
      const parsed = headerOf(header);
      if (!parsed) {
        return problem('This line is not a header ("Name: value"): leave a blank line before the body.');
      }
      headers.push([parsed[0], resolve(parsed[1])]);
    }
    const bodyLines = block.lines.slice(next + 1);
    while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1].trim() === '') {
      bodyLines.pop();
    }
    at = block.start + next + 1;
    if (bodyLines.some((bodyLine) => /^\s*<@?\s/.test(bodyLine))) {
      return problem('A body read from a file ("< path") is not sent by Fortellis Auth: paste the body here.');
    }
    const body = bodyLines.length > 0 ? resolve(bodyLines.join('\n')) : undefined;
    if (
      url.includes(TOKEN_PLACEHOLDER) ||
      body?.includes(TOKEN_PLACEHOLDER) ||
      headers.some(([name, value]) => value.includes(TOKEN_PLACEHOLDER) && name.toLowerCase() !== 'authorization')
    ) {
      return problem(`${ENVIRONMENT_VARIABLES.token} may only be read in the Authorization header: the token goes nowhere else.`);
    }
    return { ok: true, request: { line: block.start + index, method, url, headers, ...(body !== undefined && { body }) } };
  } catch (error) {
    if (error instanceof Unresolved) {
      return problem(error.message);
    }
    throw error;
  }
}

/**
 * The bodies that claim to be JSON (Content-Type …json, or none and starting with { or [) but do not parse: where
 * and why, as the editor shows it while the user types. Variables are not resolved: a body with {{…}} is not checked
 * (one with httpyac's escapes \{\{…\}\} is, as it is sent).
 */
export function jsonBodyProblems(text: string): HttpFileProblem[] {
  return blocks(linesOf(text)).flatMap((block) => {
    const index = requestLineIndex(block);
    if (index === -1) {
      return [];
    }
    const next = headersEnd(block, index + 1);
    let contentType: string | undefined;
    for (const header of block.lines.slice(index + 1, next).map(headerOf)) {
      if (header?.[0].toLowerCase() === 'content-type') {
        contentType = header[1].toLowerCase();
      }
    }
    const bodyLines = block.lines.slice(next + 1);
    const body = bodyLines.join('\n').trimEnd();
    const claimsJson = contentType ? /[/+]json\b/.test(contentType) : /^\s*[[{]/.test(body);
    if (body.trim() === '' || !claimsJson || variableMatches(body).length > 0) {
      return [];
    }
    const broken = jsonSyntaxError(unescaped(body));
    if (!broken) {
      return [];
    }
    const line = block.start + next + 1 + body.slice(0, broken.offset).split('\n').length - 1;
    return [{ line, message: `The body is not valid JSON: ${broken.message}` }];
  });
}
