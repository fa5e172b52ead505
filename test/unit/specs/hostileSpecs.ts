/**
 * Hostile specs and responses that stalled the extension host (issue 18, findings 5 to 7), sized by a parameter so
 * that the unit corpus (hostileSpecCorpus.test.ts) runs them at the reported size and the bench shows how their cost
 * grows (npm run bench:specs).
 */

const HEAD = 'openapi: 3.0.3\ninfo: {title: hostile, version: "1"}\n';

/** Finding 5: a path key holding `blanks` blanks (valid YAML); the old key scan was quadratic in them. */
export function blanksInKeySpec(blanks: number): string {
  return `${HEAD}paths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n  /b${' '.repeat(blanks)}c:\n    post:\n      responses: {"200": {description: ok}}\n`;
}

/** Finding 6: an O(n⁸) pattern on JavaScript's RegExp, and a value of `digits` digits that almost matches it. */
export const POLYNOMIAL_PATTERN = '^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*!$';

/** Finding 6 as a spec: a query parameter and a response field with `pattern`, the parameter's example `digits` digits. */
export function polynomialPatternSpec(digits: number, pattern = POLYNOMIAL_PATTERN): string {
  return `${HEAD}paths:
  /stock:
    get:
      parameters:
        - {name: code, in: query, schema: {type: string, pattern: '${pattern}'}, example: '${'1'.repeat(digits)}'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {code: {type: string, pattern: '${pattern}'}}}
`;
}

/**
 * Finding 7: an example of about 10^`levels` × 1 KB as JSON, written in a few lines with YAML aliases, on a schema that
 * `uses` properties of the body $ref. Serialised in full once per use, the old body generation took 25.9 s on such
 * a 1.15 MB spec.
 */
export function sharedExampleSpec(uses: number, levels: number): string {
  let anchors = `x-level0: &level0 [${Array.from({ length: 10 }, (_, index) => `"${String(index).padStart(98, 'x')}"`).join(', ')}]\n`;
  for (let level = 1; level <= levels; level++) {
    anchors += `x-level${level}: &level${level} [${Array(10)
      .fill(`*level${level - 1}`)
      .join(', ')}]\n`;
  }
  const properties = Array.from({ length: uses }, (_, index) => `                p${index}: {$ref: '#/components/schemas/Big'}`).join('\n');
  return `${HEAD}${anchors}components:
  schemas:
    Big: {type: array, items: {type: array}, example: *level${levels}}
paths:
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
${properties}
      responses: {"200": {description: ok}}
`;
}

/** Finding 7: a response schema with uniqueItems on records, and a body of `records` distinct records (the last a copy of the first when `duplicate`). */
export function uniqueItemsSpec(): string {
  return `${HEAD}paths:
  /vehicles:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                uniqueItems: true
                items: {type: object, properties: {vin: {type: string}, miles: {type: integer}, tags: {type: array}}}
`;
}

export function uniqueItemsBody(records: number, duplicate: boolean): string {
  const items = Array.from({ length: records }, (_, index) => ({
    vin: `1HGCM82633A${String(index).padStart(6, '0')}`,
    miles: index,
    tags: ['used', { lot: index % 7 }],
  }));
  if (duplicate) {
    items[records - 1] = { tags: ['used', { lot: 0 }], miles: 0, vin: items[0].vin };
  }
  return JSON.stringify(items);
}

/** Review of finding 7: uniqueItems on a recursive schema, each array's items its own arrays. */
export function nestedUniqueItemsSpec(): string {
  return `${HEAD}paths:
  /tree:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node: {uniqueItems: true, items: {$ref: '#/components/schemas/Node'}}
`;
}

/**
 * `[0,[0,[…,[0,"xxx…"]…]]]`: `depth` arrays, the innermost holding a string of `leafChars` characters. Canonicalised
 * again at each level, the arrays below took depth × size: 69.7 s at depth 400 with a 1 MB leaf (Ajv's own: 9 ms).
 */
export function nestedUniqueItemsBody(depth: number, leafChars: number): string {
  return `${'[0,'.repeat(depth)}${JSON.stringify('x'.repeat(leafChars))}${']'.repeat(depth)}`;
}

// The same findings as whole specs for a real VS Code: test/bench/heartbeatBench.ts opens each of them in code-server,
// and the hostile-workspace windows two of them.
// - blankLineYaml: a path line with 80,000 blanks and no colon;
// - polynomialPatternCallSpec: a required query parameter with the O(n⁸) pattern and a 60-digit example, so that Call
//   checks the example as it asks;
// - exampleRefSpec: about 1.15 MB, a body of 2,600 properties that each refer to one schema with a 1 MB example (and a
//   query parameter, so that a Call asks something before it writes the body).

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

/** An example that does not match POLYNOMIAL_PATTERN: the backtracking tries every split of the digits. */
export const POLYNOMIAL_EXAMPLE = '1'.repeat(60);

export function polynomialPatternCallSpec(): string {
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
