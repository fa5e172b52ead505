/// <reference types="postman-collection/types" />
/**
 * Import a Postman collection (v2.0, v2.1: what Fortellis hands out) as one .http file (httpyac, REST Client): its
 * folders become sections, its {{variables}} the file's `@variables`, and every request carries the Fortellis headers
 * and the token from FORTELLIS_TOKEN, as "Open as .http" writes them. Postman's SDK (postman-collection) reads it.
 *
 * A collection comes from anyone and may be hostile: as in specHttpFile.ts, nothing it says may become a line of the
 * file's own (a request line, a header, a `###` separator, a `@variable` or `# @metadata` line) or an httpyac template
 * ({{…}} runs JavaScript). The only templates written are the file's own ({{$dotenv …}}, {{$guid}}, {{subscriptionId}})
 * and the collection's variables whose names are plain identifiers, each defined by a `@name = value` line; every
 * other {{ is escaped, a request that cannot be written safely is left out with a comment, and what was left out is
 * listed in `notes`.
 */
import { Collection, type Item, ItemGroup, type Request } from 'postman-collection';
import { extraHeaderRefusal, FORTELLIS_HEADERS, headerValueRefusal, JSON_MEDIA_TYPE, METHODS_WITH_BODY } from '../apiRequests/fortellisHeaders';
import { BEARER } from '../snippets/snippetRequest';
import { commentText, DOTENV_TOKEN, DOTENV_TOKEN_NOTE, httpComment, httpFileText, httpSyntaxLine, jsonBody, NEW_UUID, urlText } from '../text/httpFileText';
import { variableMatches } from '../text/httpTemplates';
import { checkCollectionSize, PostmanImportError } from './postmanImportLimits';

/** Folders nested deeper than this are refused (the SDK reads them recursively). */
export const MAX_FOLDER_DEPTH = 32;
/** JSON nested deeper than this is refused before it is parsed (the folders' limit needs about 2 levels a folder). */
export const MAX_JSON_DEPTH = 256;
/** Requests beyond this many are refused. */
export const MAX_REQUESTS = 5000;

export interface PostmanHttpFileOptions {
  /** The `@subscriptionId` line's value when the collection defines no subscriptionId variable. */
  readonly subscriptionId: string;
}

export interface PostmanHttpFile {
  readonly text: string;
  /** What was left out or changed, one line each (also written as comments in the text). */
  readonly notes: readonly string[];
  readonly requests: number;
}

/** The one template the file writes for the Subscription-Id header. */
const SUBSCRIPTION_VARIABLE = 'subscriptionId';
/** A collection variable kept as a .http variable: a plain identifier (httpyac evaluates {{…}} as JavaScript). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/u;
/** Postman's dynamic variables both tools also have. */
const DYNAMIC: Readonly<Record<string, string>> = { $guid: NEW_UUID, $timestamp: '{{$timestamp}}' };
/** Names and values of variables that hold a credential: never copied into the file. */
const SECRET_NAME = /token|secret|password|passwd|api[-_]?key|credential|auth|bearer|cookie|session/iu;
const SECRET_VALUE = /^(?:bearer|basic)\s|^eyJ[\w-]+\.[\w-]+\./iu;
/** JSON keys no collection field has, dropped before the SDK (lodash) sees them. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The collection's JSON text as a .http file; throws PostmanImportError for a collection that cannot be read. */
export function postmanHttpFile(text: string, options: PostmanHttpFileOptions): PostmanHttpFile {
  const json = parsedCollection(text);
  let collection: Collection;
  try {
    collection = new Collection(json as Collection.definition);
  } catch (error) {
    throw new PostmanImportError(`The Postman collection could not be read: ${commentText(error instanceof Error ? error.message : String(error))}.`);
  }
  return new Writer(collection, secretVariables(json), options).file();
}

/** Throws for a collection of more than MAX_COLLECTION_BYTES (checked on the file's size before it is read, and on the text). */
function parsedCollection(text: string): Record<string, unknown> {
  checkCollectionSize(Buffer.byteLength(text, 'utf8'));
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new PostmanImportError(
      `The Postman collection's JSON is nested more than ${MAX_JSON_DEPTH} levels deep: no collection Postman exports is; export it again.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/u, ''), (key, value: unknown) => (PROTOTYPE_KEYS.has(key) ? undefined : value));
  } catch (error) {
    throw new PostmanImportError(`The Postman collection is not JSON: ${jsonErrorPlace(text, (error as Error).message)}.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PostmanImportError('The file is not a Postman collection: its JSON is not an object. Export the collection from Postman as Collection v2.1.');
  }
  const collection = json as Record<string, unknown>;
  const info = collection.info as Record<string, unknown> | undefined;
  const schema = typeof info?.schema === 'string' ? info.schema : '';
  if (Array.isArray(collection.requests) || /\/v1\.0\.0\//u.test(schema)) {
    throw new PostmanImportError('The file is a Postman collection v1, which is not imported: export it from Postman as Collection v2.1.');
  }
  if (typeof info !== 'object' || info === null || !Array.isArray(collection.item) || (schema !== '' && !/\/v2\.[01]\.\d+\//u.test(schema))) {
    throw new PostmanImportError(
      'The file is not a Postman collection v2.0 or v2.1 (it needs "info" and "item"): export the collection from Postman as Collection v2.1.',
    );
  }
  checkShape(collection.item);
  return collection;
}

/** How deep a JSON text's arrays and objects nest, counted in one pass (JSON.parse and the SDK recurse). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') {
        index++;
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return deepest;
}

/** "at line L, column C" for JSON.parse's "position N", else its own words. */
function jsonErrorPlace(text: string, message: string): string {
  const position = /position (\d+)/u.exec(message);
  if (!position) {
    return commentText(message);
  }
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `${commentText(message.replace(/\s*\(line \d+ column \d+\)/u, ''))} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

/** Folders no deeper than MAX_FOLDER_DEPTH, requests no more than MAX_REQUESTS, walked without recursion. */
function checkShape(items: unknown[]): void {
  const pending: Array<{ items: unknown[]; depth: number }> = [{ items, depth: 1 }];
  let requests = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > MAX_FOLDER_DEPTH) {
      throw new PostmanImportError(
        `The Postman collection's folders are nested more than ${MAX_FOLDER_DEPTH} deep: move the requests into fewer levels of folders.`,
      );
    }
    for (const item of next.items) {
      const children = (item as { item?: unknown } | null)?.item;
      if (Array.isArray(children)) {
        pending.push({ items: children, depth: next.depth + 1 });
      } else if (++requests > MAX_REQUESTS) {
        throw new PostmanImportError(`The Postman collection has more than ${MAX_REQUESTS} requests: export the folders you need as a smaller collection.`);
      }
    }
  }
}

/** The collection variables Postman marks secret (the SDK forgets the type). */
function secretVariables(json: Record<string, unknown>): ReadonlySet<string> {
  const variables = Array.isArray(json.variable) ? (json.variable as Array<{ key?: unknown; type?: unknown }>) : [];
  return new Set(variables.filter((variable) => variable?.type === 'secret').map((variable) => String(variable.key)));
}

class Writer {
  private readonly notes: string[] = [];
  /** Collection variables the written requests use. */
  private readonly used = new Set<string>();
  private readonly variables = new Map<string, string>();
  private requests = 0;

  constructor(
    private readonly collection: Collection,
    private readonly secrets: ReadonlySet<string>,
    private readonly options: PostmanHttpFileOptions,
  ) {
    for (const variable of collection.variables.all() as Array<{ key?: unknown; value?: unknown }>) {
      if (typeof variable.key === 'string' && !this.variables.has(variable.key)) {
        this.variables.set(variable.key, variable.value === undefined || variable.value === null ? '' : String(variable.value));
      }
    }
  }

  file(): PostmanHttpFile {
    const body: string[] = [];
    const collectionScripts = this.scriptsNote(this.collection, "the collection's");
    this.group(this.collection, [], body);
    const head = [
      `# ${httpComment(String(this.collection.name ?? '')) || 'A collection'}: imported from a Postman collection. Send the requests with httpyac or REST Client.`,
      `# ${DOTENV_TOKEN_NOTE}`,
      ...(collectionScripts ? [`# ${collectionScripts}`] : []),
      ...this.variableLines(),
      '',
    ];
    return { text: [...head, ...body].join('\n'), notes: this.notes, requests: this.requests };
  }

  /** Postman runs an item's scripts (pre-request, tests) around its requests; the file runs none: said once per item. */
  private scriptsNote(item: Item | ItemGroup, whose: string, where = ''): string | undefined {
    const events = ((item as { events?: { all(): unknown[] } }).events?.all() ?? []) as Array<{ listen?: unknown }>;
    const listens = [...new Set(events.map((event) => commentText(String(event.listen ?? 'script'))))];
    return listens.length > 0
      ? this.note(where, `${whose} Postman scripts (${listens.join(', ')}) are not imported: httpyac and REST Client do not run them`)
      : undefined;
  }

  private note(where: string, what: string): string {
    const line = `${where ? `${where}: ` : ''}${what}`;
    this.notes.push(line);
    return line;
  }

  private group(group: ItemGroup, path: readonly string[], lines: string[]): void {
    let first = true;
    for (const item of group.items.all() as Array<Item | ItemGroup>) {
      const name = httpComment(String(item.name ?? '')) || '(unnamed)';
      if (ItemGroup.isItemGroup(item)) {
        const scripts = this.scriptsNote(item, `the folder ${[...path, name].join(' / ')}'s`);
        if (scripts) {
          lines.push('###', `# ${scripts}`, '');
        }
        this.group(item as ItemGroup, [...path, name], lines);
        continue;
      }
      const heading = first && path.length > 0 ? [`# Folder ${commentText(path.join(' / '))}`] : [];
      first = false;
      const where = [...path, name].join(' / ');
      let request: string[];
      try {
        request = this.request(item as Item, where);
      } catch (error) {
        // The SDK's own failure on a field of an unexpected type: this request only.
        request = [`# ${this.note(where, `left out: it could not be read (${httpComment(error instanceof Error ? error.message : String(error))})`)}`];
      }
      lines.push('###', ...heading, ...request, '');
    }
  }

  /** The lines of one request after its `###`: comments, the request line, headers and the body. */
  private request(item: Item, where: string): string[] {
    const comments = [`# ${commentText(where)}`];
    const scripts = this.scriptsNote(item, 'its', where);
    if (scripts) {
      comments.push(`# ${scripts}`);
    }
    const request: Request = item.request;
    const method = String(request.method ?? 'GET').toUpperCase();
    if (!/^[A-Z]{1,20}$/u.test(method)) {
      return [...comments, `# ${this.note(where, 'left out: its method is not an HTTP method')}`];
    }
    const url = this.urlOf(request);
    if (typeof url !== 'string') {
      return [...comments, `# ${this.note(where, `left out: ${url.refused}`)}`];
    }
    const auth = (item.getAuth() as { type?: unknown } | undefined)?.type;
    if (auth !== undefined && auth !== 'noauth') {
      comments.push(`# Postman's ${commentText(String(auth))} auth is replaced by the Fortellis token.`);
    }
    const body = this.bodyOf(request);
    if (body.note) {
      comments.push(`# ${this.note(where, body.note)}`);
    }
    const hasBody = body.text !== undefined;
    let accept = JSON_MEDIA_TYPE;
    let contentType = body.contentType ?? JSON_MEDIA_TYPE;
    const headers: string[] = [];
    for (const header of request.headers.all()) {
      if (header.disabled) {
        continue;
      }
      const name = String(header.key ?? '');
      const value = String(header.value ?? '');
      const lower = name.toLowerCase();
      if (lower === 'accept' || (lower === 'content-type' && hasBody && !body.contentType)) {
        const media = this.templated(value.trim(), 'header');
        if (media !== undefined && headerValueRefusal(name, media) === undefined && media !== '') {
          if (lower === 'accept') {
            accept = media;
          } else {
            contentType = media;
          }
          continue;
        }
      }
      if (lower === 'authorization' || lower === 'subscription-id' || lower === 'request-id') {
        if (value.trim() === (lower === 'request-id' ? NEW_UUID : `{{${SUBSCRIPTION_VARIABLE}}}`)) {
          continue;
        }
        comments.push(`# ${this.note(where, `its ${commentText(name)} header is replaced by the Fortellis one`)}`);
        continue;
      }
      const refusal = extraHeaderRefusal(name, hasBody) ?? headerValueRefusal(name, value);
      const written = refusal === undefined ? this.templated(value.trim(), 'header') : undefined;
      if (written === undefined) {
        comments.push(
          `# ${this.note(where, `header ${commentText(JSON.stringify(name))} left out: ${httpComment(refusal ?? 'its value has double braces that cannot be escaped')}`)}`,
        );
        continue;
      }
      headers.push(`${name}: ${written}`);
    }
    this.requests++;
    this.used.add(SUBSCRIPTION_VARIABLE);
    return [
      ...comments,
      `${method} ${url}`,
      `${FORTELLIS_HEADERS.authorization}: ${BEARER} ${DOTENV_TOKEN}`,
      `${FORTELLIS_HEADERS.subscriptionId}: {{${SUBSCRIPTION_VARIABLE}}}`,
      `${FORTELLIS_HEADERS.requestId}: ${NEW_UUID}`,
      `${FORTELLIS_HEADERS.accept}: ${accept}`,
      ...headers,
      ...(body.text !== undefined ? [`${FORTELLIS_HEADERS.contentType}: ${contentType}`, '', body.text] : []),
    ];
  }

  /** The request's URL as one token: its variables kept, everything else percent-encoded; http(s) only. */
  private urlOf(request: Request): string | { refused: string } {
    const raw = request.url.toString().trim();
    if (raw === '') {
      return { refused: 'it has no URL' };
    }
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/u.exec(raw)?.[1];
    if (scheme !== undefined ? !/^https?$/iu.test(scheme) : !VARIABLE_AT_START.test(raw)) {
      return { refused: 'its URL is not an http(s) URL and does not start with a variable such as baseUrl' };
    }
    const written = this.templated(raw, 'url');
    return written ?? { refused: 'its URL has double braces that are not a variable' };
  }

  /** The body as Postman sends it, written only where no line of it is .http syntax. */
  private bodyOf(request: Request): { text?: string; contentType?: string; note?: string } {
    const body = request.body;
    const method = String(request.method ?? 'GET').toUpperCase();
    if (!body || body.disabled || body.isEmpty()) {
      return {};
    }
    if (!METHODS_WITH_BODY.includes(method)) {
      return { note: `its body is left out: a ${method} request carries none` };
    }
    if (body.mode === 'urlencoded') {
      const pairs =
        (body.urlencoded?.all() as Array<{ key?: unknown; value?: unknown; disabled?: boolean }> | undefined)?.filter((pair) => !pair.disabled) ?? [];
      const encoded = pairs.map((pair) => `${this.formText(String(pair.key ?? ''))}=${this.formText(String(pair.value ?? ''))}`).join('&');
      return { text: encoded, contentType: 'application/x-www-form-urlencoded' };
    }
    if (body.mode !== 'raw') {
      return { note: `its ${commentText(String(body.mode))} body is not imported: write it by hand` };
    }
    const raw = String(body.raw ?? '');
    const written = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/u.test(raw) ? undefined : this.templated(raw, 'body');
    if (written !== undefined && httpSyntaxLine(written) === undefined && !/\r/u.test(written)) {
      return { text: written };
    }
    try {
      JSON.parse(raw);
    } catch {
      return { note: 'its body is left out: it has lines a .http file reads as its own syntax, or control characters, and is not JSON' };
    }
    return { text: jsonBody(raw).text, note: 'its JSON body is written pretty-printed, with its double braces escaped' };
  }

  /** A form field's key or value: percent-encoded, its variables kept. */
  private formText(text: string): string {
    return this.templated(text, 'form') ?? encodeURIComponent(text);
  }

  /**
   * `text` with the collection's {{identifier}} variables kept (and {{$guid}}, {{$timestamp}}), every other part
   * written so that no other template is read: a URL's or a form's parts percent-encoded, a header's or a body's
   * {{ escaped. Undefined when that cannot be done.
   */
  private templated(text: string, kind: 'url' | 'form' | 'header' | 'body'): string | undefined {
    const used: string[] = [];
    const kept: string[] = [];
    let written = '';
    let last = 0;
    for (const match of variableMatches(text)) {
      const name = match.inner;
      const dynamic = DYNAMIC[name];
      const template = dynamic ?? (IDENTIFIER.test(name) && name === text.slice(match.start + 2, match.end - 2) ? `{{${name}}}` : undefined);
      if (template === undefined) {
        continue;
      }
      kept.push(template);
      if (!dynamic) {
        used.push(name);
      }
      const literal = literalText(text.slice(last, match.start), kind);
      if (literal === undefined) {
        return undefined;
      }
      written += literal + template;
      last = match.end;
    }
    const rest = literalText(text.slice(last), kind);
    if (rest === undefined) {
      return undefined;
    }
    written += rest;
    // Only the templates kept, as they were: a literal { beside a kept variable must not make another.
    if (
      variableMatches(written)
        .map((match) => written.slice(match.start, match.end))
        .join('\0') !== kept.join('\0')
    ) {
      return undefined;
    }
    used.forEach((name) => this.used.add(name));
    return written;
  }

  /** The `@name = value` lines of the variables the requests use; a secret's or an unsafe value left empty. */
  private variableLines(): string[] {
    const lines: string[] = [];
    for (const name of [...this.used].sort()) {
      const defined = this.variables.get(name);
      if (name === SUBSCRIPTION_VARIABLE && defined === undefined) {
        lines.push(`@${name} = ${urlText(this.options.subscriptionId)}`);
        continue;
      }
      let why: string | undefined;
      let value = '';
      if (defined === undefined) {
        why = 'the collection does not define it (a Postman environment may): fill it in';
      } else if (this.secrets.has(name) || SECRET_NAME.test(name) || SECRET_VALUE.test(defined.trim())) {
        why = 'it looks like a credential, which is not copied: the Fortellis token is sent instead, fill it in if the API needs it';
      } else if (headerValueRefusal(name, defined) !== undefined) {
        why = 'its value has line breaks or characters other than printable ASCII: fill it in';
      } else if (/\{\{|\}\}|\\\{|\\\}/u.test(defined)) {
        why = 'its value has double braces, which httpyac would read as a template: fill it in';
      } else {
        value = defined.trim();
      }
      if (why) {
        lines.push(`# ${this.note('', `the variable ${name} is left empty: ${why}`)}`);
      }
      lines.push(`@${name} = ${value}`.trimEnd());
    }
    return lines;
  }
}

const VARIABLE_AT_START = /^\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/u;

/** A part of a value outside its variables, as `kind` writes it. */
function literalText(text: string, kind: 'url' | 'form' | 'header' | 'body'): string | undefined {
  switch (kind) {
    case 'url':
      return urlText(text);
    case 'form':
      return encodeURIComponent(text);
    default:
      return text.includes('{') || text.includes('}') ? httpFileText(text) : text;
  }
}
