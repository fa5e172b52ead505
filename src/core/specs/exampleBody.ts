/**
 * A request body for an operation: the spec's own example when it gives one, else a value generated from the schema
 * (examples, defaults, enums and formats first), so that it passes the schema.
 */
import { isObject, type Json, type JsonObject, resolved, type SpecOperation } from './specModel';

const OPTIONAL_DEPTH = 2;

/** Limits on a generated body, whatever the schema (it comes from a spec someone else wrote). */
export interface BodyBudget {
  /** Values generated in all (objects, arrays and leaves). */
  readonly maxNodes: number;
  /** Nesting of objects and arrays. */
  readonly maxDepth: number;
  /** About the size of the body as compact JSON. */
  readonly maxChars: number;
}

export const MAX_BODY_CHARS = 100_000;
const DEFAULT_BUDGET: BodyBudget = { maxNodes: 10_000, maxDepth: 12, maxChars: MAX_BODY_CHARS };
/** Items of a generated array, at most (minItems above it is not honoured). */
const MAX_ITEMS = 10;
/** Characters of a generated string, at most (minLength above it is not honoured). */
const MAX_STRING = 256;

interface Generation {
  readonly document: JsonObject;
  readonly budget: BodyBudget;
  nodes: number;
  chars: number;
  /** The schemas being expanded on the current path: one met again is a cycle. */
  readonly path: Set<object>;
  readonly serialised: Serialised;
}

/**
 * The spec's values (examples, defaults…) serialised for one body: the text of each, or a length its text is known to
 * exceed. A value many schemas share (a YAML alias, a $ref'd schema's example) is serialised once, not once per use.
 */
type Serialised = Map<object, string | number>;

/** The body's text (JSON pretty-printed), or undefined when the operation takes none. */
export function requestBodyText(document: JsonObject, operation: SpecOperation): string | undefined {
  const body = operation.body;
  if (!body) {
    return undefined;
  }
  const example = body.example !== undefined ? usableValue(body.example, MAX_BODY_CHARS, new Map()) : undefined;
  const value = example !== undefined ? example.value : body.schema ? exampleFromSchema(document, body.schema) : {};
  return typeof value === 'string' && !/json/i.test(body.mediaTypes[0] ?? '') ? value : JSON.stringify(value, null, 2);
}

/**
 * A value that fits `schema`: its example, default, const or first enum value, or one built from its type, within
 * `budget` (a schema met again on its own path, or beyond the budget, gives null or is left out). Never throws; the
 * result is plain JSON (no cycles) of about `maxChars` at most.
 */
export function exampleFromSchema(document: JsonObject, schema: Json | undefined, budget: Partial<BodyBudget> = {}): Json {
  const generation: Generation = { document, budget: { ...DEFAULT_BUDGET, ...budget }, nodes: 0, chars: 0, path: new Set(), serialised: new Map() };
  try {
    return generate(generation, schema, 0) ?? null;
  } catch {
    // A getter or proxy in a hand-made schema, or anything unforeseen: no body rather than an exception.
    return null;
  }
}

/** undefined: nothing within the budget (a cycle, or the budget spent). */
function generate(generation: Generation, schema: Json | undefined, depth: number): Json | undefined {
  const { document, budget, path } = generation;
  const target = resolved(document, schema);
  if (!isObject(target)) {
    return spend(generation, null);
  }
  if (path.has(target) || depth > budget.maxDepth || generation.nodes >= budget.maxNodes || generation.chars >= budget.maxChars) {
    return undefined;
  }
  for (const key of ['example', 'examples', 'const', 'default', 'enum'] as const) {
    const given = key === 'examples' || key === 'enum' ? (Array.isArray(target[key]) ? target[key][0] : undefined) : target[key];
    const usable = given !== undefined ? usableValue(given, budget.maxChars - generation.chars, generation.serialised) : undefined;
    if (usable !== undefined) {
      generation.nodes++;
      generation.chars += usable.chars;
      return usable.value;
    }
  }
  path.add(target);
  try {
    return built(generation, target, depth);
  } finally {
    path.delete(target);
  }
}

function built(generation: Generation, target: JsonObject, depth: number): Json | undefined {
  if (Array.isArray(target.allOf)) {
    const parts = target.allOf.map((part) => generate(generation, part, depth + 1) ?? null);
    return parts.every(isObject) ? (Object.assign({}, ...parts) as JsonObject) : (parts[0] ?? null);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = target[key];
    if (Array.isArray(options) && options.length > 0) {
      return generate(generation, options.find((option) => !(isObject(option) && option.type === 'null')) ?? options[0], depth + 1);
    }
  }
  const type = Array.isArray(target.type) ? target.type.find((each) => each !== 'null') : target.type;
  switch (type ?? (isObject(target.properties) ? 'object' : target.items ? 'array' : undefined)) {
    case 'object': {
      const properties = isObject(target.properties) ? target.properties : {};
      const required = new Set(Array.isArray(target.required) ? target.required : []);
      const result: JsonObject = {};
      spend(generation, result);
      for (const [name, property] of Object.entries(properties)) {
        // Deeper down only what is required: a wide schema ends.
        if (depth >= OPTIONAL_DEPTH && !required.has(name)) {
          continue;
        }
        const resolvedProperty = resolved(generation.document, property);
        if (isObject(resolvedProperty) && resolvedProperty.readOnly === true) {
          continue;
        }
        const value = generate(generation, property, depth + 1);
        if (value !== undefined) {
          result[name] = value;
          generation.chars += JSON.stringify(name).length + 2;
        } else if (required.has(name) && generation.nodes < generation.budget.maxNodes) {
          // A cycle (or too deep): a required property is there, as null. With the budget spent it is left out.
          result[name] = spend(generation, null);
        }
      }
      return result;
    }
    case 'array': {
      const count = typeof target.minItems === 'number' && target.minItems > 1 ? Math.min(target.minItems, MAX_ITEMS) : 1;
      const result: Json[] = [];
      spend(generation, result);
      for (let index = 0; index < count; index++) {
        const item = generate(generation, target.items, depth + 1);
        if (item === undefined) {
          break;
        }
        result.push(item);
      }
      return result;
    }
    case 'integer':
    case 'number':
      return spend(generation, numberFor(target, type === 'integer'));
    case 'boolean':
      return spend(generation, true);
    case 'string':
      return spend(generation, stringFor(target));
    default:
      return spend(generation, null);
  }
}

/** Counts a generated value against the budget. */
function spend<T extends Json>(generation: Generation, value: T): T {
  generation.nodes++;
  generation.chars += typeof value === 'string' ? value.length + 2 : typeof value === 'object' ? 2 : String(value).length;
  return value;
}

/**
 * A copy of a value the spec gives (example, default…) and the length of its compact JSON, when that is at most
 * `maxChars`; else undefined (too long, cyclic, not JSON). Found without writing more than `maxChars` characters of it:
 * a value with YAML aliases inside can be billions of characters as a tree.
 */
function usableValue(value: Json, maxChars: number, serialised: Serialised): { value: Json; chars: number } | undefined {
  let text: string | undefined;
  if (value === null || typeof value !== 'object') {
    text = typeof value === 'string' && value.length + 2 > maxChars ? undefined : boundedJson(value, maxChars);
  } else {
    const known = serialised.get(value);
    if (typeof known === 'string' || (typeof known === 'number' && known >= maxChars)) {
      text = typeof known === 'string' ? known : undefined;
    } else {
      text = boundedJson(value, maxChars);
      serialised.set(value, text ?? maxChars);
    }
  }
  return text !== undefined && text.length <= maxChars ? { value: JSON.parse(text) as Json, chars: text.length } : undefined;
}

/** Thrown to stop writing: longer than the budget, or not JSON. */
const TOO_LONG = new Error('not JSON of at most the budget');

/**
 * `value` as JSON.stringify writes it (compact), or undefined when that is longer than `maxChars`, cyclic or not
 * JSON; it stops as soon as the text would be longer, so the work is bounded by `maxChars` whatever the value (a
 * spec's value with YAML aliases inside can be billions of characters as a tree).
 */
export function boundedJson(value: unknown, maxChars: number): string | undefined {
  let chars = 0;
  const charge = (count: number) => {
    chars += count;
    if (chars > maxChars) {
      throw TOO_LONG;
    }
  };
  const inProgress = new Set<object>();
  const write = (value: unknown, inArray: boolean, toJson = true): string | undefined => {
    if (typeof value === 'string') {
      charge(value.length + 2);
      const text = JSON.stringify(value);
      charge(text.length - value.length - 2);
      return text;
    }
    if (value === null || typeof value === 'number' || typeof value === 'boolean') {
      const text = JSON.stringify(value);
      charge(text.length);
      return text;
    }
    if (typeof value === 'bigint') {
      throw TOO_LONG; // Not JSON: JSON.stringify throws too.
    }
    if (typeof value !== 'object') {
      // undefined, a function or a symbol: null in an array, left out of an object.
      return inArray ? write(null, true) : undefined;
    }
    if (toJson && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      // A YAML timestamp is a Date.
      return write((value as { toJSON(key: string): unknown }).toJSON(''), inArray, false);
    }
    if (inProgress.has(value)) {
      throw TOO_LONG;
    }
    inProgress.add(value);
    const parts: string[] = [];
    charge(2);
    if (Array.isArray(value)) {
      const length = value.length;
      for (let index = 0; index < length; index++) {
        charge(index > 0 ? 1 : 0);
        parts.push(write(value[index], true)!);
      }
    } else {
      for (const key of Object.keys(value)) {
        const keyText = write(key, false)!;
        const child = write((value as Record<string, unknown>)[key], false);
        if (child === undefined) {
          chars -= keyText.length;
        } else {
          charge(parts.length > 0 ? 2 : 1);
          parts.push(`${keyText}:${child}`);
        }
      }
    }
    inProgress.delete(value);
    return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
  };
  try {
    return write(value, false);
  } catch {
    // Longer than maxChars, cyclic (a YAML alias of itself), or a getter that throws.
    return undefined;
  }
}

function numberFor(schema: JsonObject, integer: boolean): number {
  const minimum =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const maximum =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  let value = minimum ?? (maximum !== undefined ? Math.min(0, maximum) : 0);
  if (schema.exclusiveMinimum === true && minimum !== undefined) {
    value += integer ? 1 : 0.5;
  }
  return integer ? Math.ceil(value) : value;
}

const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  date: '2024-01-31',
  'date-time': '2024-01-31T12:00:00Z',
  time: '12:00:00Z',
  email: 'dealer@example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  uri: 'https://example.com/',
  'uri-reference': '/example',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
};

function stringFor(schema: JsonObject): string {
  const fromFormat = typeof schema.format === 'string' ? FORMAT_EXAMPLES[schema.format] : undefined;
  if (fromFormat) {
    return fromFormat;
  }
  const minLength = typeof schema.minLength === 'number' && Number.isFinite(schema.minLength) ? Math.min(Math.max(schema.minLength, 0), MAX_STRING) : 1;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 6);
  const text = 'string'.padEnd(minLength, 'x');
  return text.slice(0, Math.max(minLength, Math.min(text.length, maxLength)));
}
