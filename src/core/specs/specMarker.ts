/** Whether a text is an OpenAPI spec, without parsing it: cheap enough for every document VS Code opens. */

/**
 * `swagger: "2.0"` or `openapi: 3.0.x/3.1.x` as a key at the start of a line (after spaces, or after the `{` of JSON
 * on one line), in YAML or JSON. Runs on every YAML/JSON document opened, so it must stay linear in the text: only
 * `[ \t]` between the parts (`\s` would cross line breaks and backtrack over every blank line: cubic), and no two
 * runs of blanks that could share the same characters.
 */
const SPEC_MARKER = /^[ \t]*(?:\{[ \t]*)?["']?(?:swagger["']?[ \t]*:[ \t]*["']?2\.0|openapi["']?[ \t]*:[ \t]*["']?3\.[01])\b/m;

export function looksLikeSpec(text: string): boolean {
  return SPEC_MARKER.test(text);
}

/** The language ids a spec file opens with. */
export const SPEC_LANGUAGE_IDS: readonly string[] = ['yaml', 'json', 'jsonc'];
