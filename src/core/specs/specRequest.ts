/**
 * A request filled from a spec operation: the parameters a user is asked for (with their enum values and examples,
 * the required ones enforced), and the method, URL, media types and body that follow from the answers.
 */
import { extraHeaderRefusal, FORTELLIS_HEADERS, headerValueRefusal, JSON_MEDIA_TYPE } from '../apiRequests/fortellisHeaders';
import { boundedJson, requestBodyText } from './exampleBody';
import { patternSkipReason, safePattern } from './safePattern';
import { isJsonMediaType, type Json, type JsonObject, preferredMediaType, type SpecOperation, type SpecParameter } from './specModel';

/**
 * The parameters to ask for, path ones first, then query, then header ones that can be sent (never Subscription-Id,
 * Request-Id… nor one extraHeaderRefusal refuses: see headersNotSent).
 */
export function parametersToAsk(operation: SpecOperation): SpecParameter[] {
  const order = { path: 0, query: 1, header: 2 } as const;
  return operation.parameters
    .filter((parameter): parameter is SpecParameter & { in: keyof typeof order } => parameter.in in order)
    .filter((parameter) => !(parameter.in === 'header' && headerRefusal(operation, parameter)))
    .sort((a, b) => order[a.in] - order[b.in]);
}

/**
 * The operation's header parameters that are never asked for or sent, each with why, leaving out the ones the
 * extension sets itself (Subscription-Id, Request-Id, Accept, Content-Type, Authorization).
 */
export function headersNotSent(operation: SpecOperation): string[] {
  const own = new Set(Object.values(FORTELLIS_HEADERS).map((name) => name.toLowerCase()));
  return operation.parameters
    .filter((parameter) => parameter.in === 'header' && !own.has(parameter.name.toLowerCase()))
    .map((parameter) => headerRefusal(operation, parameter))
    .filter((refusal): refusal is string => refusal !== undefined);
}

function headerRefusal(operation: SpecOperation, parameter: SpecParameter): string | undefined {
  return extraHeaderRefusal(parameter.name, operation.body !== undefined);
}

/** Values to offer for a parameter: its enum values, else its example and default; none that parameterProblem refuses. */
export function suggestedValues(parameter: SpecParameter): string[] {
  const values = Array.isArray(parameter.schema.enum)
    ? parameter.schema.enum
    : [parameter.example, parameter.schema.default].filter((value): value is Json => value !== undefined);
  return [...new Set(values.map(valueText))].filter(
    (value): value is string => value !== undefined && (value === '' || parameterProblem(parameter, value) === undefined),
  );
}

/** What is wrong with a value typed for a parameter ('' is "left out"), or undefined. */
export function parameterProblem(parameter: SpecParameter, value: string): string | undefined {
  const schema = parameter.schema;
  if (value === '') {
    return parameter.required ? `${parameter.name} is required.` : undefined;
  }
  const unsendable = parameter.in === 'header' ? headerValueRefusal(parameter.name, value) : undefined;
  if (unsendable) {
    return unsendable;
  }
  const type = Array.isArray(schema.type) ? schema.type.find((each) => each !== 'null') : schema.type;
  if (type === 'integer' && !/^-?\d+$/.test(value)) {
    return `${parameter.name} is an integer.`;
  }
  if (type === 'number' && (value.trim() === '' || Number.isNaN(Number(value)))) {
    return `${parameter.name} is a number.`;
  }
  if (type === 'boolean' && value !== 'true' && value !== 'false') {
    return `${parameter.name} is true or false.`;
  }
  if ((type === 'integer' || type === 'number') && typeof schema.minimum === 'number' && Number(value) < schema.minimum) {
    return `${parameter.name} is at least ${schema.minimum}.`;
  }
  if ((type === 'integer' || type === 'number') && typeof schema.maximum === 'number' && Number(value) > schema.maximum) {
    return `${parameter.name} is at most ${schema.maximum}.`;
  }
  const allowed = Array.isArray(schema.enum) ? schema.enum.map(valueText).filter((each) => each !== undefined) : undefined;
  if (allowed && !allowed.includes(value)) {
    return `${parameter.name} is one of: ${allowed.join(', ')}.`;
  }
  // Through safePattern (this runs on every keystroke): a risky pattern, or a very long value, is parameterWarning's.
  if (typeof schema.pattern === 'string' && patternSkipReason(schema.pattern, value) === undefined) {
    const pattern = safePattern(schema.pattern);
    if ('test' in pattern && !pattern.test(value)) {
      return `${parameter.name} must match ${schema.pattern}.`;
    }
  }
  return undefined;
}

/** What could not be checked about a value typed for a parameter (a pattern not run, and why), or undefined. */
export function parameterWarning(parameter: SpecParameter, value: string): string | undefined {
  const pattern = parameter.schema.pattern;
  if (value === '' || typeof pattern !== 'string') {
    return undefined;
  }
  const reason = patternSkipReason(pattern, value);
  return reason === undefined ? undefined : `${parameter.name}: pattern not checked: ${reason}.`;
}

export interface FilledRequest {
  readonly method: string;
  readonly url: string;
  /** Of the answer: from `produces` or the responses' media types (JSON preferred). */
  readonly accept: string;
  readonly body?: string;
  readonly contentType?: string;
  /** Header parameters of the spec other than the ones the extension sets. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/**
 * The request for `operation` at `baseUrl` with the parameter values given (by name; '' or missing: left out).
 * The body is `body` when given, else the spec's example or one generated from its schema.
 */
export function filledRequest(
  document: JsonObject,
  operation: SpecOperation,
  baseUrl: string,
  values: Readonly<Record<string, string>>,
  body?: string,
): FilledRequest {
  const parameters = parametersToAsk(operation);
  const missing = parameters.filter((parameter) => parameter.required && !values[parameter.name]);
  if (missing.length > 0) {
    throw new Error(`Required: ${missing.map((parameter) => parameter.name).join(', ')}.`);
  }
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
  const query = new URLSearchParams();
  const headers: Array<[string, string]> = [];
  for (const parameter of parameters) {
    const value = values[parameter.name];
    if (value === undefined || value === '') {
      continue;
    }
    if (parameter.in === 'query') {
      query.append(parameter.name, value);
    } else if (parameter.in === 'header') {
      headers.push([parameter.name, value]);
    }
  }
  const search = query.toString().replace(/\+/g, '%20');
  const text = body ?? requestBodyText(document, operation);
  const contentType = operation.body ? (preferredMediaType(operation.body.mediaTypes) ?? JSON_MEDIA_TYPE) : undefined;
  return {
    method: operation.method,
    url: `${baseUrl}${path}${search ? `?${search}` : ''}`,
    accept: acceptFor(operation),
    ...(text !== undefined && { body: text, contentType: contentType ?? JSON_MEDIA_TYPE }),
    headers,
  };
}

/** Accept: JSON when the operation answers with it, else what it produces (all of it), else JSON. */
export function acceptFor(operation: SpecOperation): string {
  const json = operation.produces.find(isJsonMediaType);
  return json && json !== '*/*' ? json : operation.produces.length > 0 ? operation.produces.join(', ') : JSON_MEDIA_TYPE;
}

/** Parameter values for a request nobody is asked about (the .http file, tests): examples, else enum or default. */
export function exampleValues(operation: SpecOperation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const parameter of parametersToAsk(operation)) {
    const suggested = parameter.example !== undefined ? valueText(parameter.example) : suggestedValues(parameter)[0];
    if (suggested !== undefined) {
      values[parameter.name] = suggested;
    } else if (parameter.required) {
      values[parameter.name] = parameter.schema.type === 'integer' || parameter.schema.type === 'number' ? '1' : parameter.name;
    }
  }
  return values;
}

/** The longest value offered for a parameter from the spec (its example, default or enum values). */
const MAX_VALUE_CHARS = 10_000;

/**
 * A value from the spec as it is typed: a string as it is, anything else as JSON; undefined when longer than
 * MAX_VALUE_CHARS, found after writing at most that much of it (an example of YAML aliases can be billions of characters).
 */
function valueText(value: Json): string | undefined {
  const text = typeof value === 'string' ? value : boundedJson(value, MAX_VALUE_CHARS);
  return text !== undefined && text.length <= MAX_VALUE_CHARS ? text : undefined;
}
