/**
 * `$ref`s to other files bundled into the spec (with @apidevtools/json-schema-ref-parser, swagger-parser's resolver),
 * so that every `$ref` left is local; and the local `$ref`s that point nowhere, with their lines.
 * A spec comes from the workspace: its refs are read from files inside one folder (the workspace folder), never
 * fetched from the network and never from a file outside that folder (through `..`, an absolute path or a link).
 */
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedSpec, SpecProblem, TextPosition } from './specDocument';
import { atPointer, type BundledSpec, type Json, type JsonObject } from './specModel';
import { messageOf } from '../text/errorMessage';

export type SpecBundle = { readonly ok: true; readonly spec: BundledSpec } | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/**
 * Bundles the files `spec` refers to into it. `filePath` is where the spec's text is (its refs are relative to it);
 * other files are read from disk inside `root` (undefined: none at all), never from the network.
 */
export async function bundleSpec(spec: ParsedSpec, filePath: string, text: string, root: string | undefined): Promise<SpecBundle> {
  let document = spec.document as JsonObject;
  if (hasExternalRef(document)) {
    const { $RefParser, ResolverError } = await import('@apidevtools/json-schema-ref-parser');
    try {
      // Examples are data: a "$ref" in them is hidden from the parser (and put back after), so it reads no file.
      const copy = renameExampleRefs(structuredClone(spec.document) as Json, '$ref', HIDDEN_REF);
      // Every external ref goes to this resolver, whatever its scheme: http refs are refused, not fetched.
      const read = async (info: { url: string }): Promise<Buffer> => {
        try {
          return await readInside(root, info.url);
        } catch (error) {
          // The parser passes its own errors on as they are, and replaces any other by "Error reading file".
          throw new ResolverError(error as Error, info.url);
        }
      };
      const file = { order: 1, canRead: true, read };
      const bundled = (await new $RefParser().bundle(filePath, copy as never, { resolve: { http: false, external: true, file } })) as unknown as Json;
      document = renameExampleRefs(bundled, HIDDEN_REF, '$ref') as JsonObject;
    } catch (error) {
      const messages = refErrorMessages(error);
      return { ok: false, problems: messages.map((message) => ({ start: lineMentioning(text, message), message })) };
    }
  }
  const broken = brokenLocalRefs(document);
  if (broken.length > 0) {
    return {
      ok: false,
      problems: broken.map((ref) => ({ start: lineMentioning(text, `"${ref}"`, ref), message: `$ref "${ref}" points to nothing in the spec.` })),
    };
  }
  return { ok: true, spec: { version: spec.version, document } };
}

/** The keys whose values are data (examples), not spec: a "$ref" in them means nothing and is never resolved. */
const EXAMPLE_KEYS: ReadonlySet<string> = new Set(['example', 'examples', 'x-example']);
/** What an example's "$ref" key is called while the parser bundles the spec. */
const HIDDEN_REF = '\u0000fortellis-example-$ref';
/** A spec's external refs name other spec files only. */
const SPEC_FILE = /\.(?:ya?ml|json)$/i;

/** Whether a `$ref` outside the examples names another file. */
function hasExternalRef(document: JsonObject): boolean {
  let found = false;
  walkSpec(document, (node) => {
    found ||= typeof node.$ref === 'string' && !node.$ref.startsWith('#');
  });
  return found;
}

/**
 * Calls `visit` on every object of the spec outside its examples, once each (a value shared by YAML aliases is one
 * object; the walk is linear in the distinct objects).
 */
function walkSpec(document: Json, visit: (node: JsonObject) => void): void {
  const seen = new Set<object>();
  const walk = (value: Json | undefined): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) {
      return;
    }
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    visit(value);
    for (const [key, child] of Object.entries(value)) {
      if (!EXAMPLE_KEYS.has(key)) {
        walk(child);
      }
    }
  };
  walk(document);
}

/** Renames the key `from` to `to` in every object inside the spec's examples (in place); returns the document. */
function renameExampleRefs(document: Json, from: string, to: string): Json {
  const seen = new Set<object>();
  const rename = (value: Json | undefined, inExample: boolean): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) {
      return;
    }
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item) => rename(item, inExample));
      return;
    }
    if (inExample && Object.hasOwn(value, from)) {
      const entries = Object.entries(value).map(([key, child]): [string, Json] => [key === from ? to : key, child]);
      for (const key of Object.keys(value)) {
        delete value[key];
      }
      Object.assign(value, Object.fromEntries(entries));
    }
    for (const [key, child] of Object.entries(value)) {
      rename(child, inExample || EXAMPLE_KEYS.has(key));
    }
  };
  rename(document, false);
  return document;
}

/** The file a ref names, if it is inside `root` once links are followed; else an error saying why it is not read. */
export async function readInside(root: string | undefined, url: string): Promise<Buffer> {
  let path: string;
  if (/^file:/i.test(url)) {
    path = fileURLToPath(url);
  } else if (/^[a-z][a-z0-9+.-]+:/i.test(url)) {
    throw new Error(`A $ref to ${url} is not fetched: a spec's refs are read from files in the workspace only.`);
  } else {
    path = decodeURIComponent(url);
  }
  if (root === undefined) {
    throw new Error(`A $ref to ${path} is not read: the spec is in no workspace folder.`);
  }
  if (!SPEC_FILE.test(path)) {
    throw new Error(`A $ref to ${path} is not read: a spec's refs name other spec files (.yaml, .yml or .json) only.`);
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new Error(`A $ref names a file that cannot be read: "${path}".`);
  }
  const inside = relative(await realpath(root).catch(() => root), real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`A $ref to ${path} is not read: it is outside the workspace folder ${root}.`);
  }
  return readFile(real);
}

/** Local refs whose target does not exist. */
export function brokenLocalRefs(document: JsonObject): string[] {
  const broken = new Set<string>();
  walkSpec(document, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#') && atPointer(document, node.$ref) === undefined) {
      broken.add(node.$ref);
    }
  });
  return [...broken];
}

function refErrorMessages(error: unknown): string[] {
  const group = error as { errors?: unknown[] };
  const errors = Array.isArray(group.errors) && group.errors.length > 0 ? group.errors : [error];
  return errors.map((each) => {
    const message = messageOf(each);
    return /ENOENT|Error opening file|no such file/i.test(message)
      ? `A $ref names a file that cannot be read: ${message.replace(/^.*?(?=["'/])/, '')}`
      : message;
  });
}

/** The line of the first of `needles` found in the text (for a file name: its last path segment), else line 0. */
function lineMentioning(text: string, ...needles: string[]): TextPosition {
  const candidates = needles.flatMap((needle) => {
    const quoted = /"([^"]+)"/.exec(needle)?.[1];
    const fileNames = [...needle.matchAll(/[^\s'"]+\.(?:ya?ml|json)\b/gi)].map((match) => match[0].split(/[\\/]/).pop() ?? '');
    return [needle, ...(quoted ? [quoted] : []), ...fileNames];
  });
  for (const candidate of candidates) {
    const index = candidate ? text.indexOf(candidate) : -1;
    if (index !== -1) {
      const before = text.slice(0, index);
      const line = before.split('\n').length - 1;
      return { line, column: index - (before.lastIndexOf('\n') + 1) };
    }
  }
  return { line: 0, column: 0 };
}
