/** Whether a text is an OpenAPI spec, without parsing it: cheap enough for every document VS Code opens. */

/** `swagger: "2.0"` or `openapi: 3.0.x/3.1.x` as a key, in YAML or JSON. */
const SPEC_MARKER = /^\s*\{?\s*["']?(?:swagger["']?\s*:\s*["']?2\.0|openapi["']?\s*:\s*["']?3\.[01])\b/m;
const HEAD = 64 * 1024;

export function looksLikeSpec(text: string): boolean {
  return SPEC_MARKER.test(text.length > HEAD ? text.slice(0, HEAD) : text) || (text.length > HEAD && SPEC_MARKER.test(text));
}

/** The language ids a spec file opens with. */
export const SPEC_LANGUAGE_IDS: readonly string[] = ['yaml', 'json', 'jsonc'];
