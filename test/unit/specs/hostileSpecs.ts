/**
 * The hostile specs of issue 18, generated: each one stalled the extension host when it was read in that thread.
 * - blankLineYaml: a path line with 80,000 blanks and no colon (the operation scan's key pattern was quadratic on it);
 * - polynomialPatternSpec: a parameter whose pattern backtracks in O(n⁸), with a 60-digit example;
 * - exampleRefSpec: about 1.15 MB, a body of 2,600 properties that each refer to one schema with a 1 MB example (and
 *   a query parameter, so that a Call asks something before it writes the body).
 * test/bench/heartbeatBench.ts opens each of them in a real VS Code, and the hostile-workspace windows two of them.
 */

const SERVERS = 'servers: [{url: "https://api.fortellis.io/bench/v1"}]';

export function blankLineYaml(blanks = 80_000): string {
  return [
    'openapi: 3.0.3',
    'info: {title: A line of blanks, version: "1"}',
    SERVERS,
    'paths:',
    '  /pets:',
    '    get:',
    '      responses: {"200": {description: ok}}',
    `  /a${' '.repeat(blanks)}b`,
    '',
  ].join('\n');
}

/** The pattern, and an example that does not match it: the backtracking tries every split of the digits. */
export const POLYNOMIAL_PATTERN = '^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*!$';
export const POLYNOMIAL_EXAMPLE = '1'.repeat(60);

export function polynomialPatternSpec(): string {
  return [
    'openapi: 3.0.3',
    'info: {title: A polynomial pattern, version: "1"}',
    SERVERS,
    'paths:',
    '  /codes:',
    '    get:',
    '      parameters:',
    '        - name: code',
    '          in: query',
    '          required: true',
    `          schema: {type: string, pattern: '${POLYNOMIAL_PATTERN}', example: '${POLYNOMIAL_EXAMPLE}'}`,
    '      responses: {"200": {description: ok}}',
    '',
  ].join('\n');
}

export function exampleRefSpec(properties = 2600, exampleItems = 150_000): string {
  return [
    'openapi: 3.0.3',
    'info: {title: One large example referred to many times, version: "1"}',
    SERVERS,
    'paths:',
    '  /bulk:',
    '    post:',
    '      parameters:',
    '        - {name: dealer, in: query, required: true, schema: {type: string}}',
    '      requestBody:',
    '        content:',
    '          application/json:',
    '            schema: {$ref: "#/components/schemas/Body"}',
    '      responses: {"200": {description: ok}}',
    'components:',
    '  schemas:',
    '    Big:',
    '      type: array',
    '      items: {type: integer}',
    `      example: [${Array.from({ length: exampleItems }, (_, index) => 100_000 + index).join(',')}]`,
    '    Body:',
    '      type: object',
    '      properties:',
    ...Array.from({ length: properties }, (_, index) => `        p${index}: {$ref: "#/components/schemas/Big"}`),
    '',
  ].join('\n');
}
