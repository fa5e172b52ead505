/**
 * What a request needs from one operation of a spec: its parameters (path-level and operation-level merged, `$ref`s
 * followed), its body, its media types and its documented responses, for Swagger 2.0 and OpenAPI 3.0/3.1 alike.
 * Works on a spec whose `$ref`s to other files are already bundled in (see specRefs), so every `$ref` is local.
 */
import { hasControlCharacters } from '../text/printable';
import type { SpecVersion } from './specDocument';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SpecParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie' | 'formData';
  readonly required: boolean;
  readonly description?: string;
  /** The schema of its value (Swagger 2.0: the parameter's own type, enum, format…). */
  readonly schema: JsonObject;
  /** From `example`, `examples`, `x-example` or the schema's example. */
  readonly example?: Json;
}

export interface SpecResponse {
  /** As documented: "200", "2XX" or "default". */
  readonly status: string;
  readonly description: string;
  /** Media type → its schema (undefined: documented without a schema). */
  readonly content: ReadonlyArray<{ readonly mediaType: string; readonly schema?: JsonObject; readonly pointer?: string }>;
}

export interface SpecOperation {
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly summary?: string;
  readonly parameters: readonly SpecParameter[];
  readonly body?: {
    readonly required: boolean;
    readonly mediaTypes: readonly string[];
    readonly schema?: JsonObject;
    /** The example the spec gives for the body, if any. */
    readonly example?: Json;
  };
  /** What the operation answers with (`produces`, or its responses' media types). */
  readonly produces: readonly string[];
  readonly responses: readonly SpecResponse[];
}

export interface BundledSpec {
  readonly version: SpecVersion;
  /** Every `$ref` in it is local (#/…). */
  readonly document: JsonObject;
}

const MAX_REF_HOPS = 32;

/** Follows `$ref`s (local ones) until a value that is not a reference. */
export function resolved(document: JsonObject, value: Json | undefined): Json | undefined {
  let current = value;
  for (let hop = 0; hop < MAX_REF_HOPS && isObject(current) && typeof current.$ref === 'string'; hop++) {
    const target = atPointer(document, current.$ref);
    if (target === undefined) {
      return current;
    }
    current = target;
  }
  return current;
}

/** The value at a local reference (#/a/b~1c), or undefined. */
export function atPointer(document: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#')) {
    return undefined;
  }
  let current: Json | undefined = document;
  for (const part of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    current = isObject(current) ? current[key] : Array.isArray(current) ? current[Number(key)] : undefined;
    if (current === undefined) {
      return undefined;
    }
  }
  return current;
}

/** `#/a/b~1c` for the keys a, b/c. */
export function pointerOf(keys: readonly string[]): string {
  return `#/${keys.map((key) => key.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export function isObject(value: Json | undefined | unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The operation at `method` `path`, or undefined when the spec has none. A path key with a control character or a
 * line separator is no operation: it would put lines of the spec's choosing into the response view and the log.
 */
export function specOperation(spec: BundledSpec, method: string, path: string): SpecOperation | undefined {
  if (hasControlCharacters(path)) {
    return undefined;
  }
  const { document } = spec;
  const pathItem = resolved(document, (document.paths as JsonObject | undefined)?.[path]);
  const key = method.toLowerCase();
  const operation = isObject(pathItem) ? resolved(document, pathItem[key]) : undefined;
  if (!isObject(pathItem) || !isObject(operation)) {
    return undefined;
  }
  const swagger = spec.version === '2.0';
  const rawParameters = new Map<string, JsonObject>();
  for (const list of [pathItem.parameters, operation.parameters]) {
    for (const entry of Array.isArray(list) ? list : []) {
      const parameter = resolved(document, entry);
      if (isObject(parameter) && typeof parameter.name === 'string' && typeof parameter.in === 'string') {
        rawParameters.set(`${parameter.in}:${parameter.name}`, parameter);
      }
    }
  }
  const parameters: SpecParameter[] = [];
  let body: SpecOperation['body'];
  const consumes = strings(operation.consumes ?? document.consumes);
  for (const parameter of rawParameters.values()) {
    if (swagger && parameter.in === 'body') {
      const schema = resolvedObject(document, parameter.schema);
      const example = schema && 'example' in schema ? schema.example : firstExample(parameter['x-examples']);
      body = {
        required: parameter.required === true,
        mediaTypes: consumes.length > 0 ? consumes : ['application/json'],
        ...(isObject(parameter.schema) && { schema: parameter.schema }),
        ...(example !== undefined && { example }),
      };
      continue;
    }
    parameters.push(specParameter(document, parameter, swagger));
  }
  if (!swagger) {
    const requestBody = resolved(document, operation.requestBody);
    if (isObject(requestBody) && isObject(requestBody.content)) {
      const mediaTypes = Object.keys(requestBody.content);
      const chosen = preferredMediaType(mediaTypes);
      const media = chosen === undefined ? undefined : resolved(document, requestBody.content[chosen]);
      const schema = isObject(media) && isObject(media.schema) ? media.schema : undefined;
      const example = isObject(media) ? (media.example !== undefined ? media.example : firstExample(media.examples, document)) : undefined;
      body = {
        required: requestBody.required === true,
        mediaTypes: chosen === undefined ? mediaTypes : [chosen, ...mediaTypes.filter((type) => type !== chosen)],
        ...(schema && { schema }),
        ...(example !== undefined && { example }),
      };
    }
  }
  const responses = specResponses(spec, path, key, operation);
  const produces = swagger
    ? strings(operation.produces ?? document.produces)
    : [...new Set(responses.flatMap((response) => response.content.map((content) => content.mediaType)))];
  return {
    method: method.toUpperCase(),
    path,
    ...(typeof operation.operationId === 'string' && { operationId: operation.operationId }),
    ...(typeof operation.summary === 'string' && { summary: operation.summary }),
    parameters,
    ...(body && { body }),
    produces,
    responses,
  };
}

function specParameter(document: JsonObject, parameter: JsonObject, swagger: boolean): SpecParameter {
  const schema = swagger ? swaggerParameterSchema(parameter) : (resolvedObject(document, parameter.schema) ?? {});
  const example =
    parameter.example !== undefined
      ? parameter.example
      : parameter['x-example'] !== undefined
        ? parameter['x-example']
        : (firstExample(parameter.examples, document) ??
          (schema.example !== undefined ? schema.example : Array.isArray(schema.examples) ? schema.examples[0] : undefined));
  return {
    name: parameter.name as string,
    in: parameter.in as SpecParameter['in'],
    required: parameter.required === true || parameter.in === 'path',
    ...(typeof parameter.description === 'string' && { description: parameter.description }),
    schema,
    ...(example !== undefined && { example }),
  };
}

const SWAGGER_SCHEMA_KEYS = [
  'type',
  'format',
  'enum',
  'default',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'items',
];

function swaggerParameterSchema(parameter: JsonObject): JsonObject {
  return Object.fromEntries(SWAGGER_SCHEMA_KEYS.filter((key) => parameter[key] !== undefined).map((key) => [key, parameter[key]]));
}

function specResponses(spec: BundledSpec, path: string, method: string, operation: JsonObject): SpecResponse[] {
  const { document } = spec;
  const responses = isObject(operation.responses) ? operation.responses : {};
  const produces = strings(operation.produces ?? document.produces);
  return Object.entries(responses).map(([status, value]) => {
    const response = resolved(document, value);
    const description = isObject(response) && typeof response.description === 'string' ? response.description : '';
    if (!isObject(response)) {
      return { status, description, content: [] };
    }
    // A pointer into the spec, kept so that the validator compiles the schema where it is (its $refs stay valid).
    const base = isObject(value) && typeof value.$ref === 'string' ? value.$ref : pointerOf(['paths', path, method, 'responses', status]);
    if (spec.version === '2.0') {
      const schema = isObject(response.schema) ? response.schema : undefined;
      const types = produces.length > 0 ? produces : ['application/json'];
      return {
        status,
        description,
        content: schema ? types.map((mediaType) => ({ mediaType, schema, pointer: `${base}/schema` })) : types.map((mediaType) => ({ mediaType })),
      };
    }
    const content = isObject(response.content) ? response.content : {};
    return {
      status,
      description,
      content: Object.entries(content).map(([mediaType, media]) => {
        const resolvedMedia = resolved(document, media);
        const schema = isObject(resolvedMedia) && isObject(resolvedMedia.schema) ? resolvedMedia.schema : undefined;
        return schema ? { mediaType, schema, pointer: `${base}/content/${pointerOf([mediaType]).slice(2)}/schema` } : { mediaType };
      }),
    };
  });
}

function resolvedObject(document: JsonObject, value: Json | undefined): JsonObject | undefined {
  const target = resolved(document, value);
  return isObject(target) ? target : undefined;
}

/** The first value of an OpenAPI 3 `examples` map ({name: {value}}), or of Swagger's `x-examples` ({mediaType: value}). */
function firstExample(examples: Json | undefined, document?: JsonObject): Json | undefined {
  if (!isObject(examples)) {
    return undefined;
  }
  const first = Object.values(examples)[0];
  if (first === undefined) {
    return undefined;
  }
  if (document === undefined) {
    return first;
  }
  const example = resolved(document, first);
  return isObject(example) && 'value' in example ? example.value : undefined;
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** JSON first (application/json, then any +json), else the first listed. */
export function preferredMediaType(mediaTypes: readonly string[]): string | undefined {
  return mediaTypes.find((type) => /^application\/json\b/i.test(type)) ?? mediaTypes.find((type) => /\+json\b/i.test(type)) ?? mediaTypes[0];
}

export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json\b/i.test(mediaType.trim()) || mediaType.trim() === '*/*';
}
