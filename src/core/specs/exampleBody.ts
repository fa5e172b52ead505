/**
 * A request body for an operation: the spec's own example when it gives one, else a value generated from the schema
 * (examples, defaults, enums and formats first), so that it passes the schema.
 */
import { isObject, type Json, type JsonObject, resolved, type SpecOperation } from './specModel';

const MAX_DEPTH = 8;
const OPTIONAL_DEPTH = 2;

/** The body's text (JSON pretty-printed), or undefined when the operation takes none. */
export function requestBodyText(document: JsonObject, operation: SpecOperation): string | undefined {
  const body = operation.body;
  if (!body) {
    return undefined;
  }
  const value = body.example !== undefined ? body.example : body.schema ? exampleFromSchema(document, body.schema) : {};
  return typeof value === 'string' && !/json/i.test(body.mediaTypes[0] ?? '') ? value : JSON.stringify(value, null, 2);
}

/** A value that fits `schema`: its example, default, const or first enum value, or one built from its type. */
export function exampleFromSchema(document: JsonObject, schema: Json | undefined, depth = 0): Json {
  const target = resolved(document, schema);
  if (!isObject(target) || depth > MAX_DEPTH) {
    return null;
  }
  if (target.example !== undefined) {
    return target.example;
  }
  if (Array.isArray(target.examples) && target.examples.length > 0) {
    return target.examples[0];
  }
  if (target.const !== undefined) {
    return target.const;
  }
  if (target.default !== undefined) {
    return target.default;
  }
  if (Array.isArray(target.enum) && target.enum.length > 0) {
    return target.enum[0];
  }
  if (Array.isArray(target.allOf)) {
    const parts = target.allOf.map((part) => exampleFromSchema(document, part, depth + 1));
    return parts.every(isObject) ? (Object.assign({}, ...parts) as JsonObject) : (parts[0] ?? null);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = target[key];
    if (Array.isArray(options) && options.length > 0) {
      return exampleFromSchema(document, options.find((option) => !(isObject(option) && option.type === 'null')) ?? options[0], depth + 1);
    }
  }
  const type = Array.isArray(target.type) ? target.type.find((each) => each !== 'null') : target.type;
  switch (type ?? (isObject(target.properties) ? 'object' : target.items ? 'array' : undefined)) {
    case 'object': {
      const properties = isObject(target.properties) ? target.properties : {};
      const required = Array.isArray(target.required) ? target.required : [];
      const result: JsonObject = {};
      for (const [name, property] of Object.entries(properties)) {
        // Deeper down only what is required: a recursive schema (a dealer's parent dealer) ends.
        if (depth >= OPTIONAL_DEPTH && !required.includes(name)) {
          continue;
        }
        const resolvedProperty = resolved(document, property);
        if (isObject(resolvedProperty) && resolvedProperty.readOnly === true) {
          continue;
        }
        result[name] = exampleFromSchema(document, property, depth + 1);
      }
      return result;
    }
    case 'array': {
      const count = typeof target.minItems === 'number' ? Math.max(1, target.minItems) : 1;
      return Array.from({ length: count }, () => exampleFromSchema(document, target.items, depth + 1));
    }
    case 'integer':
    case 'number':
      return numberFor(target, type === 'integer');
    case 'boolean':
      return true;
    case 'string':
      return stringFor(target);
    case 'null':
      return null;
    default:
      return null;
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
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 6);
  const text = 'string'.padEnd(minLength, 'x');
  return text.slice(0, Math.max(minLength, Math.min(text.length, maxLength)));
}
