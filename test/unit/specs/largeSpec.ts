/**
 * A large Swagger 2.0 spec in Fortellis' style, generated: `operations` operations (GET and POST on alternating
 * paths, each with Subscription-Id and Request-Id, a path parameter, a query parameter and an example), padded with
 * descriptions until it is about `targetBytes` long. YAML, as most Fortellis specs are.
 */
export function largeSpecYaml(operations = 1000, targetBytes = 2 * 1024 * 1024): string {
  const pathCount = Math.ceil(operations / 2);
  // About 650 bytes of each operation are not padding.
  const perOperation = Math.max(0, Math.floor(targetBytes / operations) - 650);
  const padding = 'Generated text that stands for the long descriptions real specs carry. '.repeat(Math.ceil(perOperation / 72)).slice(0, perOperation);
  const lines = [
    'swagger: "2.0"',
    'info:',
    '  title: Large generated API',
    '  version: "1.0"',
    'host: api.fortellis.io',
    'basePath: /sandbox/large/v1',
    'schemes: [https]',
    'produces: [application/json]',
    'consumes: [application/json]',
    'parameters:',
    '  SubscriptionId: {name: Subscription-Id, in: header, required: true, type: string, x-example: test}',
    '  RequestId: {name: Request-Id, in: header, required: true, type: string}',
    'paths:',
  ];
  let written = 0;
  for (let index = 0; index < pathCount && written < operations; index++) {
    lines.push(`  /resources-${index}/{itemId}:`);
    for (const method of ['get', 'post']) {
      if (written >= operations) {
        break;
      }
      written++;
      lines.push(
        `    ${method}:`,
        `      operationId: ${method}Resource${index}`,
        `      summary: ${method === 'get' ? 'Reads' : 'Updates'} item of resource ${index}`,
        `      description: >-`,
        `        ${padding}`,
        '      parameters:',
        "        - $ref: '#/parameters/SubscriptionId'",
        "        - $ref: '#/parameters/RequestId'",
        '        - {name: itemId, in: path, required: true, type: string, x-example: item-1}',
        '        - {name: view, in: query, required: false, type: string, enum: [summary, full]}',
        ...(method === 'post' ? ['        - {name: body, in: body, required: true, schema: {$ref: "#/definitions/Item"}}'] : []),
        '      responses:',
        '        "200":',
        '          description: The item.',
        '          schema: {$ref: "#/definitions/Item"}',
        '        "404":',
        '          description: No such item.',
        '          schema: {$ref: "#/definitions/Error"}',
      );
    }
  }
  lines.push(
    'definitions:',
    '  Item:',
    '    type: object',
    '    required: [itemId, name]',
    '    properties:',
    '      itemId: {type: string}',
    '      name: {type: string}',
    '      count: {type: integer, minimum: 0}',
    '    example: {itemId: item-1, name: First item, count: 3}',
    '  Error:',
    '    type: object',
    '    properties:',
    '      code: {type: string}',
    '      message: {type: string}',
    '    example: {code: NOT-FOUND, message: No such item.}',
  );
  return `${lines.join('\n')}\n`;
}
