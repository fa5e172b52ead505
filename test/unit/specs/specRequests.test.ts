import assert from 'node:assert/strict';
import { exampleFromSchema, requestBodyText } from '../../../src/core/specs/exampleBody';
import { mappedBaseUrl, specServer } from '../../../src/core/specs/specServers';
import { curlCommand, curlRequestOf } from '../../../src/core/specs/copyAsCurl';
import { specOperation } from '../../../src/core/specs/specModel';
import {
  acceptFor,
  exampleValues,
  filledRequest,
  headersNotSent,
  parameterProblem,
  parametersToAsk,
  suggestedValues,
} from '../../../src/core/specs/specRequest';
import { ResponseChecker } from '../../../src/core/specs/responseCheck';
import { fixture } from './specFixtures';

const SANDBOX_API = 'http://127.0.0.1:4500/api';

describe('specs: filling a request', () => {
  it('Swagger 2.0: path, query and header parameters asked in that order; Subscription-Id and Request-Id never', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const list = spec.operation('GET', '/repair-orders');
    assert.deepEqual(
      parametersToAsk(list).map((parameter) => `${parameter.in}:${parameter.name}:${parameter.required}`),
      ['query:status:false', 'query:limit:false'],
    );
    assert.deepEqual(suggestedValues(parametersToAsk(list)[0]), ['open', 'closed', 'invoiced']);
    assert.deepEqual(suggestedValues(parametersToAsk(list)[1]), ['20']);
    const replace = spec.operation('PUT', '/repair-orders/{orderId}/lines/{lineNumber}');
    assert.deepEqual(
      parametersToAsk(replace).map((parameter) => `${parameter.in}:${parameter.name}:${parameter.required}`),
      ['path:orderId:true', 'path:lineNumber:true', 'header:If-Match:false'],
    );
    // The path-level orderId (a $ref) carries its x-example.
    const get = spec.operation('GET', '/repair-orders/{orderId}');
    assert.deepEqual(
      parametersToAsk(get).map((parameter) => [parameter.name, parameter.example]),
      [['orderId', 'RO-1001']],
    );
  });

  it('a header parameter the extension cannot send is never asked for, and why is said; a header value Call could not send is refused in its box', () => {
    const header = (name: string) => ({ name, in: 'header', type: 'string', 'x-example': 'x' });
    const document = {
      swagger: '2.0',
      info: { title: 'Headers', version: '1' },
      paths: {
        '/a': {
          get: {
            parameters: [
              header('X-Dealer-Id'),
              header('Content-Language'),
              header('X Bad'),
              header('###'),
              header('X-HTTP-Method-Override'),
              header('Subscription-Id'),
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    const operation = specOperation({ version: '2.0', document }, 'GET', '/a');
    assert.ok(operation);
    assert.deepEqual(
      parametersToAsk(operation).map((parameter) => parameter.name),
      ['X-Dealer-Id'],
    );
    assert.deepEqual(headersNotSent(operation), [
      'The header "Content-Language" is not sent: it describes a body, and this request has none.',
      'The header "X Bad" is not sent: it is not a header name.',
      'The header "###" is not sent: it is not a header name.',
      'The header "X-HTTP-Method-Override" is not sent: the extension or HTTP sets it, or a gateway could read it to send the request elsewhere.',
    ]);
    const [dealer] = parametersToAsk(operation);
    assert.deepEqual(suggestedValues({ ...dealer, schema: { type: 'string', enum: ['D-1', 'Zoë'] } }), ['D-1'], 'a value it could not send is not offered');
    assert.match(parameterProblem(dealer, 'Zoë') ?? '', /X-Dealer-Id header has line breaks or characters other than printable ASCII/);
    assert.equal(parameterProblem(dealer, 'D-12'), undefined);
  });

  it('Copy as curl: every header the request was sent with, header parameters too, in the order sent; never the token', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const request = curlRequestOf({
      method: 'post',
      url: `${SANDBOX_API}/cdk/x`,
      token,
      subscriptionId: 'test',
      requestId: 'r-1',
      body: '{"a":1}',
      extraHeaders: [['If-Match', 'v7']],
    });
    assert.deepEqual(request.headers, [
      ['Subscription-Id', 'test'],
      ['Request-Id', 'r-1'],
      ['Accept', 'application/json'],
      ['Content-Type', 'application/json'],
      ['If-Match', 'v7'],
    ]);
    const command = curlCommand(request);
    assert.ok(!command.includes(token) && !JSON.stringify(request).includes(token));
    assert.equal(
      command,
      `curl -X POST '${SANDBOX_API}/cdk/x' -H "Authorization: Bearer $(cat "$FORTELLIS_TOKEN_FILE" 2>/dev/null || printf %s "$FORTELLIS_TOKEN")" -H 'Subscription-Id: test' -H 'Request-Id: r-1' -H 'Accept: application/json' -H 'Content-Type: application/json' -H 'If-Match: v7' --data-raw '{"a":1}'`,
    );
  });

  it('Copy as curl: the URL reaches the host the request went to, and curl expands nothing in it into more requests', () => {
    const request = {
      method: 'GET',
      url: 'https://api.fortellis.io\\cdk-test\\@attacker.example/x[1-100000]?q={a,b}',
      token: 't',
      subscriptionId: 's',
      requestId: 'r',
    };
    const command = curlCommand(curlRequestOf(request));
    assert.match(command, /^curl 'https:\/\/api\.fortellis\.io\/cdk-test\/@attacker\.example\/x%5B1-100000%5D\?q=%7Ba,b%7D' -H /);
  });

  it('required parameters enforced; types, ranges, enums and patterns checked', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const [orderId, lineNumber, ifMatch] = parametersToAsk(spec.operation('PUT', '/repair-orders/{orderId}/lines/{lineNumber}'));
    assert.equal(parameterProblem(orderId, ''), 'orderId is required.');
    assert.equal(parameterProblem(orderId, 'X-1'), 'orderId must match ^RO-[0-9]+$.');
    assert.equal(parameterProblem(orderId, 'RO-7'), undefined);
    assert.equal(parameterProblem(lineNumber, 'two'), 'lineNumber is an integer.');
    assert.equal(parameterProblem(lineNumber, '0'), 'lineNumber is at least 1.');
    assert.equal(parameterProblem(ifMatch, ''), undefined);
    const [status] = parametersToAsk(spec.operation('GET', '/repair-orders'));
    assert.equal(parameterProblem(status, 'pending'), 'status is one of: open, closed, invoiced.');
    assert.throws(() => filledRequest(spec.bundled.document, spec.operation('GET', '/repair-orders/{orderId}'), SANDBOX_API, {}), /Required: orderId\./);
  });

  it('the URL: base mapped, path parameters encoded, empty optional ones left out; Accept and Content-Type from the spec', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const base = mappedBaseUrl(specServer('2.0', spec.bundled.document), SANDBOX_API, false);
    const put = filledRequest(spec.bundled.document, spec.operation('PUT', '/repair-orders/{orderId}/lines/{lineNumber}'), base, {
      orderId: 'RO-1/2 é',
      lineNumber: '3',
      'If-Match': '"v1"',
    });
    assert.equal(put.url, 'http://127.0.0.1:4500/api/cdk/service/repair-orders/v1/repair-orders/RO-1%2F2%20%C3%A9/lines/3');
    assert.deepEqual(put.headers, [['If-Match', '"v1"']]);
    assert.equal(put.accept, 'application/json');
    assert.equal(put.contentType, 'application/json');
    assert.deepEqual(JSON.parse(put.body ?? ''), { lineNumber: 1, description: 'Oil change', laborHours: 0.5 });
    const list = filledRequest(spec.bundled.document, spec.operation('GET', '/repair-orders'), base, { status: 'open', limit: '' });
    assert.equal(list.url, `${base}/repair-orders?status=open`);
    assert.equal(list.body, undefined);
    const dealers = await fixture('openapi30/dealers.yaml');
    const getDealer = dealers.operation('GET', '/dealers/{dealerId}');
    assert.equal(acceptFor(getDealer), 'application/json');
    assert.deepEqual(exampleValues(getDealer), { dealerId: 'D-42', fields: 'summary' });
    const parts = await fixture('openapi31/parts.json');
    const patch = filledRequest(parts.bundled.document, parts.operation('PATCH', '/parts/{partNumber}'), 'https://x', { partNumber: 'P 1' });
    assert.equal(patch.contentType, 'application/merge-patch+json');
    assert.equal(patch.url, 'https://x/parts/P%201');
  });

  it("the body: the operation's example (Swagger definition, OpenAPI 3 named example), else generated from the schema", async () => {
    const swagger = await fixture('swagger2-repair-orders.yaml');
    assert.deepEqual(JSON.parse(requestBodyText(swagger.bundled.document, swagger.operation('POST', '/repair-orders')) ?? ''), {
      vin: '1FTFW1ET5DFC10312',
      customerName: 'Ada Lovelace',
      promisedAt: '2026-12-01T16:00:00Z',
    });
    const dealers = await fixture('openapi30/dealers.yaml');
    assert.deepEqual(JSON.parse(requestBodyText(dealers.bundled.document, dealers.operation('POST', '/dealers')) ?? ''), {
      name: 'Downtown Motors',
      address: { city: 'Austin', postalCode: '78701' },
      brands: ['Ford'],
    });
    const parts = await fixture('openapi31/parts.json');
    assert.deepEqual(JSON.parse(requestBodyText(parts.bundled.document, parts.operation('PATCH', '/parts/{partNumber}')) ?? ''), {
      description: 'string',
      price: 0.5,
    });
  });

  it('generated bodies pass their own schema: formats, enums, minimums, allOf and a recursive schema (its optional self-reference left out)', async () => {
    const dealers = await fixture('openapi30/dealers.yaml');
    const document = dealers.bundled.document;
    // Bundled: the other file's Dealer now lives where it is first used, the 200 response's schema.
    const dealerSchema = dealers.operation('GET', '/dealers/{dealerId}').responses.find((response) => response.status === '200')?.content[0].schema;
    const dealer = exampleFromSchema(document, dealerSchema);
    assert.deepEqual(dealer, {
      name: 'string',
      address: { city: 'string', postalCode: 'string' },
      brands: ['string'],
      rating: 0,
      dealerId: 'string',
      openSince: '2024-01-31',
    });
    const swagger = await fixture('swagger2-repair-orders.yaml');
    const order = exampleFromSchema(swagger.bundled.document, {
      ...(swagger.bundled.document.definitions as Record<string, object>).RepairOrder,
      example: undefined,
    } as never);
    assert.equal((order as { status: string }).status, 'open');
    // The generated order is checked by the same validator as responses: only the postalCode/vin patterns can fail.
    const checker = new ResponseChecker(swagger.bundled);
    const check = await checker.check(swagger.operation('GET', '/repair-orders/{orderId}'), {
      status: 200,
      contentType: 'application/json',
      bodyText: JSON.stringify(order),
    });
    assert.deepEqual(check, { verdict: 'matches', documentedAs: '200' });
  });
});

describe("specs: the base URL on the profile's environment", () => {
  it('Swagger 2.0 host + basePath onto the sandbox, production, and a test-namespace profile', async () => {
    const spec = await fixture('swagger2-repair-orders.yaml');
    const server = specServer('2.0', spec.bundled.document);
    assert.deepEqual(server, { declared: 'https://api.fortellis.io/cdk/service/repair-orders/v1', basePath: '/cdk/service/repair-orders/v1' });
    assert.equal(mappedBaseUrl(server, SANDBOX_API, false), 'http://127.0.0.1:4500/api/cdk/service/repair-orders/v1');
    assert.equal(mappedBaseUrl(server, 'https://api.fortellis.io/', false), 'https://api.fortellis.io/cdk/service/repair-orders/v1');
    assert.equal(mappedBaseUrl(server, 'https://api.fortellis.io', true), 'https://api.fortellis.io/cdk-test/service/repair-orders/v1');
  });

  it('OpenAPI 3 servers: variables filled with their defaults; a namespace already -test stays as it is', async () => {
    const dealers = await fixture('openapi30/dealers.yaml');
    const server = specServer('3.0', dealers.bundled.document);
    assert.deepEqual(server, { declared: 'https://api.fortellis.io/acme/dealers/v2', basePath: '/acme/dealers/v2' });
    assert.equal(mappedBaseUrl(server, SANDBOX_API, true), 'http://127.0.0.1:4500/api/acme-test/dealers/v2');
    const parts = await fixture('openapi31/parts.json');
    assert.equal(
      mappedBaseUrl(specServer('3.1', parts.bundled.document), 'https://api.fortellis.io', true),
      'https://api.fortellis.io/parts-test/inventory/v1',
    );
    assert.deepEqual(specServer('3.0', { servers: [{ url: '/relative/v1' }] }), { declared: '/relative/v1', basePath: '/relative/v1' });
    assert.deepEqual(specServer('3.0', {}), { declared: '/', basePath: '' });
    assert.equal(mappedBaseUrl(specServer('2.0', { host: 'api.fortellis.io' }), SANDBOX_API, true), SANDBOX_API);
  });
});
