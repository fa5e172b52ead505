/**
 * The base URL of a spec's operations, mapped onto the profile's environment: Fortellis serves every API at
 * `{apiBaseUrl}/{basePath}` (`host` + `basePath` in Swagger 2.0, the first of `servers` in OpenAPI 3), and a profile
 * that calls test namespaces calls `/{namespace}-test/…`.
 */
import { isObject, type JsonObject } from './specModel';
import type { SpecVersion } from './specDocument';

export interface SpecServer {
  /** As the spec gives it, variables filled with their defaults, e.g. https://api.fortellis.io/cdk/service/v1. */
  readonly declared: string;
  /** Its path: /cdk/service/v1 ('' when the API sits at the root). */
  readonly basePath: string;
}

export function specServer(version: SpecVersion, document: JsonObject): SpecServer {
  if (version === '2.0') {
    const host = typeof document.host === 'string' ? document.host : '';
    const basePath = typeof document.basePath === 'string' ? withoutTrailingSlash(document.basePath) : '';
    const schemes = Array.isArray(document.schemes) ? document.schemes : [];
    const scheme = schemes.includes('https') || schemes.length === 0 ? 'https' : String(schemes[0]);
    return { declared: host ? `${scheme}://${host}${basePath}` : basePath || '/', basePath: normalizedPath(basePath) };
  }
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const first = servers.find(isObject);
  if (!first || typeof first.url !== 'string') {
    return { declared: '/', basePath: '' };
  }
  const variables = isObject(first.variables) ? first.variables : {};
  const declared = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
  });
  let path: string;
  try {
    path = new URL(declared).pathname;
  } catch {
    path = declared;
  }
  return { declared, basePath: normalizedPath(withoutTrailingSlash(path)) };
}

/**
 * Where the spec's operations are called for a profile: the environment's API base, then the spec's base path, whose
 * first segment (the namespace) gets `-test` when the profile calls test namespaces.
 */
export function mappedBaseUrl(server: SpecServer, apiBaseUrl: string, useTestNamespace: boolean): string {
  const segments = server.basePath.split('/').filter(Boolean);
  if (useTestNamespace && segments.length > 0 && !segments[0].endsWith('-test')) {
    segments[0] = `${segments[0]}-test`;
  }
  return `${withoutTrailingSlash(apiBaseUrl)}${segments.map((segment) => `/${segment}`).join('')}`;
}

function withoutTrailingSlash(text: string): string {
  return text.replace(/\/+$/, '');
}

function normalizedPath(path: string): string {
  return path === '' || path === '/' ? '' : path.startsWith('/') ? path : `/${path}`;
}
