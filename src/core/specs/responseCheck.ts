/**
 * A response checked against the operation's spec: the documented response for its status (exact, then 2XX, then
 * default), its media type, and its body against the schema with Ajv (JSON Schema draft-07 for Swagger 2.0 and
 * OpenAPI 3.0, with their `nullable` and boolean `exclusiveMinimum` mapped; JSON Schema 2020-12 for OpenAPI 3.1).
 */
import type { ErrorObject, KeywordDefinition, SchemaValidateFunction, ValidateFunction } from 'ajv';
import { patternSkipReason, safeRegExpEngine } from './safePattern';
import { type BundledSpec, isJsonMediaType, isObject, type Json, type JsonObject, type SpecOperation, type SpecResponse } from './specModel';
import { messageOf } from '../text/errorMessage';

export interface Mismatch {
  /** Where in the body: $ is the whole body, e.g. $.items[0].mileage; or "Content-Type". */
  readonly path: string;
  readonly message: string;
}

export type ResponseCheck =
  | { readonly verdict: 'matches'; readonly documentedAs: string; readonly notChecked?: readonly Mismatch[] }
  | { readonly verdict: 'mismatches'; readonly documentedAs: string; readonly mismatches: readonly Mismatch[]; readonly notChecked?: readonly Mismatch[] }
  | { readonly verdict: 'undocumented'; readonly status: number; readonly documented: readonly string[] }
  | { readonly verdict: 'unchecked'; readonly documentedAs: string; readonly reason: string };

export interface CheckedResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly bodyText: string;
  /** Only the beginning of the body arrived: it cannot be checked. */
  readonly truncated?: boolean;
}

/** The documented response for a status: exact, then its range (2XX), then default. */
export function documentedResponse(operation: SpecOperation, status: number): SpecResponse | undefined {
  const exact = operation.responses.find((response) => response.status === String(status));
  const range = operation.responses.find((response) => response.status.toUpperCase() === `${String(status)[0]}XX`);
  return exact ?? range ?? operation.responses.find((response) => response.status === 'default');
}

/** Checks responses against one spec; compiled schemas are kept for the next response. */
export class ResponseChecker {
  private ajv?: Promise<{ compile(pointer: string): ValidateFunction }>;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly spec: BundledSpec) {}

  /** Never throws: a schema that cannot be used (Ajv refuses it) gives "unchecked", so the response is still shown. */
  async check(operation: SpecOperation, response: CheckedResponse): Promise<ResponseCheck> {
    const documented = documentedResponse(operation, response.status);
    if (!documented) {
      return { verdict: 'undocumented', status: response.status, documented: operation.responses.map((each) => each.status) };
    }
    try {
      return await this.checkAgainst(documented, response);
    } catch (error) {
      const message = messageOf(error).replace(/\s+/g, ' ');
      return {
        verdict: 'unchecked',
        documentedAs: documented.status,
        reason: `the spec's schema could not be used: ${message.length > 200 ? `${message.slice(0, 199)}…` : message}`,
      };
    }
  }

  private async checkAgainst(documented: SpecResponse, response: CheckedResponse): Promise<ResponseCheck> {
    const documentedAs = documented.status;
    const mismatches: Mismatch[] = [];
    const mediaType = (response.contentType ?? '').split(';')[0].trim().toLowerCase();
    const content =
      documented.content.find((each) => each.mediaType.toLowerCase() === mediaType) ??
      (mediaType === '' ? documented.content[0] : documented.content.find((each) => mediaMatches(each.mediaType, mediaType)));
    if (documented.content.length > 0 && !content && response.bodyText.length > 0) {
      mismatches.push({
        path: 'Content-Type',
        message: `is ${mediaType || 'missing'}; the spec documents ${documented.content.map((each) => each.mediaType).join(', ')}`,
      });
    }
    const schemaContent = content ?? documented.content.find((each) => each.schema);
    if (!schemaContent?.schema || !schemaContent.pointer) {
      if (documented.content.length === 0 && response.bodyText.trim().length > 0 && this.spec.version !== '2.0') {
        return { verdict: 'unchecked', documentedAs, reason: 'the spec documents no body for this status, but one came' };
      }
      return mismatches.length > 0 ? { verdict: 'mismatches', documentedAs, mismatches } : { verdict: 'matches', documentedAs };
    }
    if (response.truncated) {
      return { verdict: 'unchecked', documentedAs, reason: 'the body was too large to read whole' };
    }
    if (!isJsonMediaType(schemaContent.mediaType)) {
      return { verdict: 'unchecked', documentedAs, reason: `${schemaContent.mediaType} bodies are not checked` };
    }
    let body: unknown;
    try {
      body = JSON.parse(response.bodyText);
    } catch {
      return { verdict: 'mismatches', documentedAs, mismatches: [...mismatches, { path: '$', message: 'is not JSON' }] };
    }
    const validate = await this.validator(schemaContent.pointer);
    const notChecked: Mismatch[] = [];
    if (!validate(body)) {
      // A pattern safePattern refuses (or too long a text) fails without running: not checked, not a mismatch.
      const errors = validate.errors ?? [];
      const skipped = errors.map(skippedPattern);
      mismatches.push(...schemaMismatches(errors.filter((_, index) => skipped[index] === undefined)));
      notChecked.push(...dedupe(skipped.filter((each): each is Mismatch => each !== undefined)));
    }
    const extra = notChecked.length > 0 ? { notChecked } : {};
    return mismatches.length > 0 ? { verdict: 'mismatches', documentedAs, mismatches, ...extra } : { verdict: 'matches', documentedAs, ...extra };
  }

  private async validator(pointer: string): Promise<ValidateFunction> {
    const known = this.validators.get(pointer);
    if (known) {
      return known;
    }
    this.ajv ??= createAjv(this.spec);
    const validate = (await this.ajv).compile(pointer);
    this.validators.set(pointer, validate);
    return validate;
  }
}

const SPEC_ID = 'https://fortellis-auth.invalid/spec.json';

/** The Ajv that checks responses against `spec`: its schemas compiled where they are in it, so that their $refs resolve. */
export async function createAjv(spec: BundledSpec): Promise<{ compile(pointer: string): ValidateFunction }> {
  // Every pattern goes through safePattern: a spec's pattern can take exponential time (ReDoS), and this runs in the extension host.
  const options = {
    strict: false,
    allErrors: true,
    verbose: true,
    validateSchema: false,
    allowUnionTypes: true,
    logger: false,
    code: { regExp: safeRegExpEngine },
  } as const;
  // CommonJS modules: import() gives module.exports as default, whose own default is the class or function.
  const addFormats = (await import('ajv-formats')).default.default;
  const ajv = spec.version === '3.1' ? new (await import('ajv/dist/2020.js')).default.default(options) : new (await import('ajv')).default.default(options);
  addFormats(ajv);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(UNIQUE_ITEMS);
  // The spec itself is the schema document: a response schema is compiled where it is, so its $refs resolve.
  ajv.addSchema(spec.version === '3.1' ? structuredClone(spec.document) : asJsonSchema(spec.document), SPEC_ID);
  return {
    compile: (pointer) => ajv.compile({ $ref: `${SPEC_ID}#${pointer.slice(1).split('/').map(encodeURIComponent).join('/')}` }),
  };
}

/**
 * `uniqueItems` in linear time: Ajv's own compares every pair of items (16,000 records of a response: 11 s, and up to
 * the 5 MB cap it grows quadratically); this compares one number per item (see ValueNumbers). The error is Ajv's, for
 * the same pair: the last item equal to an earlier one, and the last such earlier one.
 */
const uniqueItemsValid: SchemaValidateFunction = (schema: unknown, data: unknown, _parentSchema?: unknown, context?: Parameters<SchemaValidateFunction>[3]) => {
  uniqueItemsValid.errors = undefined;
  if (schema !== true || !Array.isArray(data)) {
    return true;
  }
  const numbers = valueNumbers(context?.rootData ?? data);
  const lastIndex = new Map<number, number>();
  let duplicate: { i: number; j: number } | undefined;
  data.forEach((item, index) => {
    const key = numbers.of(item);
    const earlier = lastIndex.get(key);
    if (earlier !== undefined) {
      duplicate = { i: index, j: earlier };
    }
    lastIndex.set(key, index);
  });
  if (!duplicate) {
    return true;
  }
  uniqueItemsValid.errors = [
    { keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${duplicate.j} and ${duplicate.i} are identical)`, params: duplicate },
  ];
  return false;
};

const UNIQUE_ITEMS: KeywordDefinition = { keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItemsValid };

/**
 * Numbers for the values in one parsed response, that two values share exactly when they are deeply equal (object
 * keys in any order), as Ajv's equal says. An array or object is numbered once, from its items' numbers: with
 * `uniqueItems` on nested arrays, a text of each whole subtree at each level took depth × size (69.7 s for 400 levels
 * around a 1 MB string); numbering all of them is linear in the response.
 */
class ValueNumbers {
  private readonly composites = new WeakMap<object, number>();
  /** Primitives by themselves (Map's SameValueZero: 1 is 1.0 and 0 is -0, "1" is not 1). */
  private readonly primitives = new Map<unknown, number>();
  /** Arrays and objects by their items' numbers: "[3,5]", '{"a":3}' (apart from the primitives: the string "[]" is not []). */
  private readonly shapes = new Map<string, number>();
  private count = 0;

  of(value: unknown): number {
    if (value === null || typeof value !== 'object') {
      return this.numberIn(this.primitives, value);
    }
    const known = this.composites.get(value);
    if (known !== undefined) {
      return known;
    }
    const object = value as Record<string, unknown>;
    const shape = Array.isArray(value)
      ? `[${value.map((item) => this.of(item)).join(',')}]`
      : `{${Object.keys(object)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${this.of(object[key])}`)
          .join(',')}}`;
    const number = this.numberIn(this.shapes, shape);
    this.composites.set(value, number);
    return number;
  }

  private numberIn<Key>(numbers: Map<Key, number>, key: Key): number {
    let number = numbers.get(key);
    if (number === undefined) {
      number = this.count++;
      numbers.set(key, number);
    }
    return number;
  }
}

/** One ValueNumbers per response (Ajv's root data, never changed once parsed), shared by all its arrays' checks. */
const numbersByResponse = new WeakMap<object, ValueNumbers>();

function valueNumbers(root: object): ValueNumbers {
  let numbers = numbersByResponse.get(root);
  if (!numbers) {
    numbers = new ValueNumbers();
    numbersByResponse.set(root, numbers);
  }
  return numbers;
}

/**
 * A copy of a Swagger 2.0 / OpenAPI 3.0 document whose schemas draft-07 reads as their spec means them:
 * `nullable`/`x-nullable` allow null, boolean exclusiveMinimum/Maximum become numbers, `type: file` checks nothing.
 */
export function asJsonSchema(document: JsonObject): JsonObject {
  const convert = (value: Json): Json => {
    if (Array.isArray(value)) {
      return value.map(convert);
    }
    if (!isObject(value)) {
      return value;
    }
    const result: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      result[key] = key === 'example' || key === 'examples' || key === 'x-example' ? child : convert(child);
    }
    const nullable = result.nullable === true || result['x-nullable'] === true;
    if (nullable) {
      if (typeof result.type === 'string') {
        result.type = [result.type, 'null'];
      } else if (Array.isArray(result.enum)) {
        result.enum = [...result.enum, null];
      }
    }
    if (typeof result.type === 'string' || Array.isArray(result.type)) {
      delete result.nullable;
    }
    for (const [flag, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (typeof result[flag] === 'boolean') {
        if (result[flag] === true && typeof result[bound] === 'number') {
          result[flag] = result[bound];
          delete result[bound];
        } else {
          delete result[flag];
        }
      }
    }
    if (result.type === 'file') {
      delete result.type;
    }
    return result;
  };
  return convert(document) as JsonObject;
}

function mediaMatches(documented: string, received: string): boolean {
  const [type, subtype] = documented.toLowerCase().split(';')[0].trim().split('/');
  const [receivedType, receivedSubtype] = received.split('/');
  return (type === '*' || type === receivedType) && (subtype === '*' || subtype === receivedSubtype);
}

/** A pattern error that is a pattern not run (refused, or the text too long), as "pattern not checked" at its path. */
function skippedPattern(error: ErrorObject): Mismatch | undefined {
  const pattern = (error.params as Record<string, unknown>).pattern;
  if (error.keyword !== 'pattern' || typeof pattern !== 'string' || typeof error.data !== 'string') {
    return undefined;
  }
  const reason = patternSkipReason(pattern, error.data);
  return reason === undefined ? undefined : { path: jsonPath(error.instancePath), message: `pattern not checked: ${reason}` };
}

function dedupe(mismatches: readonly Mismatch[]): Mismatch[] {
  const seen = new Set<string>();
  return mismatches.filter((mismatch) => {
    const key = `${mismatch.path} ${mismatch.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** Ajv's errors as one mismatch per place and problem, each with its JSON path. */
export function schemaMismatches(errors: readonly ErrorObject[]): Mismatch[] {
  const seen = new Set<string>();
  const mismatches: Mismatch[] = [];
  for (const error of errors) {
    const mismatch = mismatchOf(error);
    const key = `${mismatch.path} ${mismatch.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      mismatches.push(mismatch);
    }
  }
  return mismatches;
}

function mismatchOf(error: ErrorObject): Mismatch {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: child(path, String(params.missingProperty)), message: 'is required but missing' };
    case 'additionalProperties':
      return { path: child(path, String(params.additionalProperty)), message: 'is not in the schema (no additional properties allowed)' };
    case 'unevaluatedProperties':
      return { path: child(path, String(params.unevaluatedProperty)), message: 'is not in the schema (no unevaluated properties allowed)' };
    case 'type':
      return { path, message: `should be ${[params.type].flat().join(' or ')}, is ${kindOf(error.data)} ${shown(error.data)}` };
    case 'enum':
      return {
        path,
        message: `should be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}, is ${shown(error.data)}`,
      };
    case 'format':
      return { path, message: `should be a ${String(params.format)} (format), is ${shown(error.data)}` };
    default:
      return { path, message: `${error.message ?? error.keyword}, is ${shown(error.data)}` };
  }
}

/** JSON pointer /items/0/mileage → $.items[0].mileage. */
export function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : child(path, part)), '$');
}

function child(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
