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

export type SpecBundle = { readonly ok: true; readonly spec: BundledSpec } | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/**
 * Bundles the files `spec` refers to into it. `filePath` is where the spec's text is (its refs are relative to it);
 * other files are read from disk inside `root` (undefined: none at all), never from the network.
 */
export async function bundleSpec(spec: ParsedSpec, filePath: string, text: string, root: string | undefined): Promise<SpecBundle> {
  const hasExternalRef = JSON.stringify(spec.document).match(/"\$ref":"(?!#)/) !== null;
  let document = spec.document as JsonObject;
  if (hasExternalRef) {
    const { $RefParser, ResolverError } = await import('@apidevtools/json-schema-ref-parser');
    try {
      const copy = structuredClone(spec.document);
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
      document = (await new $RefParser().bundle(filePath, copy as never, { resolve: { http: false, external: true, file } })) as unknown as JsonObject;
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
  const seen = new Set<object>();
  const visit = (value: Json | undefined): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) {
      return;
    }
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value.$ref === 'string' && value.$ref.startsWith('#') && atPointer(document, value.$ref) === undefined) {
      broken.add(value.$ref);
    }
    for (const [key, child] of Object.entries(value)) {
      // Examples are data, not spec: a "$ref" in them means nothing.
      if (key !== 'example' && key !== 'examples' && key !== 'x-example') {
        visit(child);
      }
    }
  };
  visit(document);
  return [...broken];
}

function refErrorMessages(error: unknown): string[] {
  const group = error as { errors?: unknown[] };
  const errors = Array.isArray(group.errors) && group.errors.length > 0 ? group.errors : [error];
  return errors.map((each) => {
    const message = each instanceof Error ? each.message : String(each);
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
