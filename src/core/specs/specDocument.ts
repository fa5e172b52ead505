/**
 * Recognises an OpenAPI spec (Swagger 2.0, OpenAPI 3.0 or 3.1, in YAML or JSON), finds the line of every operation
 * (a scan of the text, fast enough for code lenses on a 2 MB spec), and parses it into plain data. A spec that cannot
 * be read gets problems at their lines instead of an exception.
 */
import { load, YAMLException } from 'js-yaml';

export type SpecVersion = '2.0' | '3.0' | '3.1';

/** A position in the text: 0-based line and column, as editors count them. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

export interface SpecProblem {
  readonly start: TextPosition;
  readonly message: string;
}

/** An operation of the spec and the line of its method key. */
export interface OperationLocation {
  /** Upper case: GET, POST, … */
  readonly method: string;
  readonly path: string;
  /** The method key's line (0-based). */
  readonly line: number;
}

export interface ParsedSpec {
  readonly version: SpecVersion;
  readonly title: string;
  /** The spec as plain data; `$ref`s are as written. */
  readonly document: Record<string, unknown>;
  readonly operations: readonly OperationLocation[];
}

export type SpecParse =
  | { readonly ok: true; readonly spec: ParsedSpec; readonly problems: readonly SpecProblem[] }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/** The operation keys of a path item (OpenAPI 2 and 3). */
export const OPERATION_METHODS: readonly string[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const METHODS = new Set(OPERATION_METHODS);

export { looksLikeSpec } from './specMarker';

const START: TextPosition = { line: 0, column: 0 };

/**
 * The operations of a spec and their lines, from the text alone: JSON in any layout, YAML in block style (as specs
 * are written). Flow-style `paths` in YAML are not scanned (their operations get the line of `paths`, see parseSpec).
 */
export function locateOperations(text: string): OperationLocation[] {
  return /^\s*\{/.test(text) ? jsonOperations(text) : yamlOperations(text);
}

/** Parses the text of a spec file: JSON, or YAML. */
export function parseSpec(text: string): SpecParse {
  const parsed = parseText(text);
  if ('problem' in parsed) {
    return { ok: false, problems: [parsed.problem] };
  }
  const root = parsed.data;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { ok: false, problems: [{ start: START, message: 'A spec is a mapping with "swagger: 2.0" or "openapi: 3.x" and "paths".' }] };
  }
  const document = root as Record<string, unknown>;
  const versionText = String(document.swagger ?? document.openapi ?? '');
  const version: SpecVersion | undefined =
    versionText === '2.0' ? '2.0' : /^3\.0(\.\d+)?$/.test(versionText) ? '3.0' : /^3\.1(\.\d+)?$/.test(versionText) ? '3.1' : undefined;
  if (!version) {
    return {
      ok: false,
      problems: [
        {
          start: lineOfKey(text, document.swagger !== undefined ? 'swagger' : 'openapi'),
          message: `Not a spec version this extension reads: "${versionText}" (Swagger 2.0, OpenAPI 3.0 and 3.1 are).`,
        },
      ],
    };
  }
  const problems: SpecProblem[] = [];
  const located = locateOperations(text);
  const operations: OperationLocation[] = [];
  const paths = document.paths;
  if (paths === undefined) {
    if (version !== '3.1') {
      problems.push({ start: lineOfKey(text, version === '2.0' ? 'swagger' : 'openapi'), message: 'The spec has no "paths": there is no operation to call.' });
    }
  } else if (paths === null || typeof paths !== 'object' || Array.isArray(paths)) {
    problems.push({ start: lineOfKey(text, 'paths'), message: '"paths" must be a mapping of paths to operations.' });
  } else {
    const pathsLine = lineOfKey(text, 'paths').line;
    const lines = new Map(located.map((operation) => [`${operation.method} ${operation.path}`, operation.line]));
    for (const [path, item] of Object.entries(paths as Record<string, unknown>)) {
      if (!path.startsWith('/')) {
        if (!path.startsWith('x-')) {
          problems.push({ start: { line: pathsLine, column: 0 }, message: `A path starts with "/": "${path}".` });
        }
        continue;
      }
      if (item === null || typeof item !== 'object') {
        continue;
      }
      for (const key of Object.keys(item)) {
        if (METHODS.has(key)) {
          const method = key.toUpperCase();
          operations.push({ method, path, line: lines.get(`${method} ${path}`) ?? pathsLine });
        }
      }
    }
  }
  const info = document.info as { title?: unknown } | undefined;
  return { ok: true, spec: { version, title: typeof info?.title === 'string' ? info.title : '', document, operations }, problems };
}

function parseText(text: string): { data: unknown } | { problem: SpecProblem } {
  if (/^\s*\{/.test(text)) {
    try {
      return { data: JSON.parse(text) as unknown };
    } catch (error) {
      const offset = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
      const start = offset === undefined ? START : positionAt(text, Number(offset));
      return { problem: { start, message: `Not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}.` } };
    }
  }
  try {
    const data = load(text, { json: true });
    // YAML aliases share one value between places; everything after parsing (bundling, checks, bodies) walks the spec
    // as a tree, where each use is a copy. A few hundred bytes of nested aliases are billions of values as a tree.
    const size = treeSize(data, MAX_TREE_VALUES);
    if (size === 'cycle' || size > MAX_TREE_VALUES) {
      const alias = /\*[^\s,\]}]+/.exec(text);
      return {
        problem: {
          start: alias ? positionAt(text, alias.index) : START,
          message:
            size === 'cycle'
              ? 'A YAML alias (*name) refers to a value that contains it: a spec cannot be read as a tree.'
              : `The YAML aliases (*name) make the spec more than ${MAX_TREE_VALUES.toLocaleString('en-US')} values once each use is a copy: it is not read. Write the repeated parts out, or use $refs.`,
        },
      };
    }
    return { data };
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark as { line?: number; column?: number } | undefined;
      return { problem: { start: { line: mark?.line ?? 0, column: mark?.column ?? 0 }, message: `Not valid YAML: ${error.reason}.` } };
    }
    throw error;
  }
}

/** The most values a spec may have as a tree (each YAML alias use counted as a copy); a 2 MB spec has about 200,000. */
const MAX_TREE_VALUES = 2_000_000;

/**
 * How many values `data` has as a tree, counting each shared value once per use: in time linear in the distinct
 * values (memoised), stopping above `limit`; 'cycle' when a value contains itself.
 */
function treeSize(data: unknown, limit: number): number | 'cycle' {
  const sizes = new Map<object, number>();
  const inProgress = new Set<object>();
  const size = (value: unknown): number | 'cycle' => {
    if (value === null || typeof value !== 'object') {
      return 1;
    }
    const known = sizes.get(value);
    if (known !== undefined) {
      return known;
    }
    if (inProgress.has(value)) {
      return 'cycle';
    }
    inProgress.add(value);
    let total = 1;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      const childSize = size(child);
      if (childSize === 'cycle') {
        return 'cycle';
      }
      total = Math.min(total + childSize, limit + 1);
    }
    inProgress.delete(value);
    sizes.set(value, total);
    return total;
  };
  return size(data);
}

function positionAt(text: string, offset: number): TextPosition {
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart };
}

/**
 * The first line with `key` (one of the spec's own key names, never text from the spec) as a key at the start of a
 * line (YAML) or in quotes (JSON); else the first line. Linear, as the spec marker is: no `\\s` across lines.
 */
function lineOfKey(text: string, key: 'swagger' | 'openapi' | 'paths'): TextPosition {
  const match = new RegExp(`^[ \\t]*(?:\\{[ \\t]*)?["']?${key}["']?[ \\t]*:`, 'm').exec(text);
  return match ? positionAt(text, match.index + match[0].indexOf(key)) : START;
}

/**
 * The key of a YAML block mapping entry at the start of `line`: after spaces, a plain, "double" or 'single' quoted
 * key, then blanks, then ':' followed by a blank or the end of the line; else undefined. One pass over the line: a
 * regular expression with a lazy key and `\s*:` (what this replaced) was quadratic on a long run of blanks without a
 * colon (80,000 blanks: 9.6 s). "Blank" is JavaScript's `\s`.
 */
export function yamlKey(line: string): string | undefined {
  let start = 0;
  while (line.charCodeAt(start) === 0x20) {
    start++;
  }
  const first = line[start];
  if (first === '"') {
    let end = start + 1;
    while (end < line.length && line[end] !== '"') {
      if (line[end] === '\\' && (end + 1 >= line.length || isLineBreak(line.charCodeAt(end + 1)))) {
        return undefined;
      }
      end += line[end] === '\\' ? 2 : 1;
    }
    if (end >= line.length || !colonFollows(line, end + 1)) {
      return undefined;
    }
    try {
      return JSON.parse(line.slice(start, end + 1)) as string;
    } catch {
      // An escape YAML has and JSON lacks (\x41, \U…): not a key this scan reads.
      return undefined;
    }
  }
  if (first === "'") {
    let end = start + 1;
    while (end < line.length && !(line[end] === "'" && line[end + 1] !== "'")) {
      end += line[end] === "'" ? 2 : 1;
    }
    return end < line.length && colonFollows(line, end + 1) ? line.slice(start + 1, end).replace(/''/g, "'") : undefined;
  }
  if (first === undefined || isBlank(line.charCodeAt(start))) {
    return undefined;
  }
  // A plain key: not starting with an indicator, except "-" or "?" followed by a non-blank.
  const shortest = first === '-' || first === '?' ? 2 : 1;
  if (shortest === 2 ? start + 1 >= line.length || isBlank(line.charCodeAt(start + 1)) : '#\'"&*!|>%@`{['.includes(first)) {
    return undefined;
  }
  let blanksFrom = -1;
  for (let at = start + shortest; at < line.length; at++) {
    const code = line.charCodeAt(at);
    if (code === 0x3a && (at + 1 === line.length || isBlank(line.charCodeAt(at + 1)))) {
      return line.slice(start, blanksFrom === -1 ? at : blanksFrom);
    }
    if (!isBlank(code)) {
      blanksFrom = -1;
    } else if (blanksFrom === -1) {
      blanksFrom = at;
    }
  }
  return undefined;
}

/** Whether `line` has, from `at`, blanks then ':' followed by a blank or the end. */
function colonFollows(line: string, at: number): boolean {
  while (at < line.length && isBlank(line.charCodeAt(at))) {
    at++;
  }
  return line.charCodeAt(at) === 0x3a && (at + 1 === line.length || isBlank(line.charCodeAt(at + 1)));
}

/** JavaScript's `\s`. */
function isBlank(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** What JavaScript's `.` does not match (\n never occurs: the text is split at it). */
function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

function yamlOperations(text: string): OperationLocation[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^(?:paths|"paths"|'paths')\s*:\s*(?:#.*)?\r?$/.test(line));
  if (start === -1) {
    return [];
  }
  const operations: OperationLocation[] = [];
  let pathIndent = -1;
  let methodIndent = -1;
  let path: string | undefined;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index];
    const indent = line.length - line.trimStart().length;
    const rest = line.trim();
    if (rest === '' || rest.startsWith('#')) {
      continue;
    }
    if (indent === 0) {
      break;
    }
    if (pathIndent === -1) {
      pathIndent = indent;
    }
    if (indent < pathIndent) {
      break;
    }
    if (indent > pathIndent && methodIndent === -1 && path !== undefined) {
      methodIndent = indent;
    }
    if (indent !== pathIndent && indent !== methodIndent) {
      continue;
    }
    const key = yamlKey(line);
    if (key === undefined) {
      continue;
    }
    if (indent === pathIndent) {
      path = key;
      methodIndent = -1;
    } else if (path !== undefined && METHODS.has(key)) {
      operations.push({ method: key.toUpperCase(), path, line: index });
    }
  }
  return operations;
}

/** A JSON string's value; while it is being typed its escapes may not be valid yet: then the raw text. */
function jsonString(quoted: string, raw: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return raw;
  }
}

function jsonOperations(text: string): OperationLocation[] {
  const operations: OperationLocation[] = [];
  const stack: Array<{ array: boolean; expectKey: boolean; key?: string }> = [];
  let line = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10) {
      line++;
    } else if (char === 34) {
      let end = index + 1;
      while (end < text.length && text.charCodeAt(end) !== 34) {
        end += text.charCodeAt(end) === 92 ? 2 : 1;
      }
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        const raw = text.slice(index + 1, end);
        const key = raw.includes('\\') ? jsonString(text.slice(index, end + 1), raw) : raw;
        top.key = key;
        top.expectKey = false;
        if (stack.length === 3 && stack[0].key === 'paths' && METHODS.has(key) && stack[1].key !== undefined) {
          operations.push({ method: key.toUpperCase(), path: stack[1].key, line });
        }
      }
      index = end;
    } else if (char === 123) {
      stack.push({ array: false, expectKey: true });
    } else if (char === 91) {
      stack.push({ array: true, expectKey: false });
    } else if (char === 125 || char === 93) {
      stack.pop();
    } else if (char === 44) {
      const top = stack[stack.length - 1];
      if (top && !top.array) {
        top.expectKey = true;
      }
    }
  }
  return operations;
}
