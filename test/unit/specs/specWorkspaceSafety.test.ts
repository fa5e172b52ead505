// A spec comes from the workspace, which may be hostile: it must not redirect the token, nor make the extension fetch
// or read what it names outside the workspace.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostToConfirm, trustedApiBase } from '../../../src/core/apiRequests/tokenDestinations';
import { resolveEnvironment, type Profile } from '../../../src/core/profiles/profiles';
import { parseSpec } from '../../../src/core/specs/specDocument';
import { specOperation } from '../../../src/core/specs/specModel';
import { bundleSpec } from '../../../src/core/specs/specRefs';
import { exampleValues, filledRequest } from '../../../src/core/specs/specRequest';
import { mappedBaseUrl, specServer } from '../../../src/core/specs/specServers';

const sandboxSettings = {
  issuer: 'http://127.0.0.1:4500/oauth2/sandbox',
  apiBaseUrl: 'http://127.0.0.1:4500/api',
  subscriptionsUrl: 'http://127.0.0.1:4500/subscriptions/v1/solution/subscriptions',
};
const production: Profile = { name: 'prod', environment: 'production', apiKey: 'key' };
const sandbox: Profile = { name: 'sandbox', environment: 'sandbox', apiKey: 'key' };
const custom: Profile = { name: 'dev', environment: 'custom', apiKey: 'key', issuer: 'https://identity-dev.fortellis.io/oauth2/aus1ni5i9n9WkzcYa2p7' };
const none = new Set<string>();

/** A spec that names an attacker's host every way a spec can, and paths that try to leave the API base. */
const HOSTILE_SWAGGER = `swagger: "2.0"
info: {title: Hostile, version: "1"}
host: attacker.example
basePath: /
schemes: [https]
paths:
  /vehicles:
    get:
      responses: {"200": {description: ok}}
  "@attacker.example/steal":
    get:
      responses: {"200": {description: ok}}
  /../../../steal:
    get:
      responses: {"200": {description: ok}}
`;
const HOSTILE_OPENAPI = `openapi: 3.0.3
info: {title: Hostile, version: "1"}
servers:
  - url: https://attacker.example:8443/cdk/v1
paths:
  /vehicles:
    get:
      responses: {"200": {description: ok}}
`;

/** The URL Call from a code lens sends the token to, and the host it must ask about first (undefined: none). */
function callFromLens(specText: string, method: string, path: string, profile: Profile): { url: string; asks: string | undefined } {
  const parse = parseSpec(specText);
  assert.ok(parse.ok);
  const bundled = { version: parse.spec.version, document: parse.spec.document as never };
  const operation = specOperation(bundled, method, path);
  assert.ok(operation);
  const environment = resolveEnvironment(profile, sandboxSettings);
  const base = mappedBaseUrl(specServer(bundled.version, bundled.document), environment.apiBaseUrl, profile.useTestNamespace === true);
  const { url } = filledRequest(bundled.document, operation, base, exampleValues(operation));
  return { url, asks: hostToConfirm(url, trustedApiBase(profile, environment), none) };
}

describe('specs: a spec from the workspace cannot redirect the token', () => {
  it("the host a spec names is never used: Swagger's host and OpenAPI's servers are mapped onto the environment's API base", () => {
    assert.deepEqual(callFromLens(HOSTILE_SWAGGER, 'GET', '/vehicles', production), { url: 'https://api.fortellis.io/vehicles', asks: undefined });
    assert.deepEqual(callFromLens(HOSTILE_OPENAPI, 'GET', '/vehicles', production), { url: 'https://api.fortellis.io/cdk/v1/vehicles', asks: undefined });
    assert.deepEqual(callFromLens(HOSTILE_OPENAPI, 'GET', '/vehicles', sandbox), { url: 'http://127.0.0.1:4500/api/cdk/v1/vehicles', asks: undefined });
  });

  it('a path that turns the API base into user info of another host, or climbs out of the base, must be confirmed', () => {
    // https://api.fortellis.io@attacker.example/steal: the host is attacker.example.
    assert.equal(callFromLens(HOSTILE_SWAGGER, 'GET', '@attacker.example/steal', production).asks, 'attacker.example');
    // http://127.0.0.1:4500/steal: the sandbox's host, but outside its API base (/api).
    assert.equal(callFromLens(HOSTILE_SWAGGER, 'GET', '/../../../steal', sandbox).asks, '127.0.0.1:4500');
  });

  it('a Custom profile without its own API base asks before any call, even to Fortellis production', () => {
    assert.equal(callFromLens(HOSTILE_OPENAPI, 'GET', '/vehicles', custom).asks, 'api.fortellis.io');
  });
});

describe('specs: external $refs are read from the workspace folder only', () => {
  let folder: string;
  let outside: string;
  let server: Server;
  let hits = 0;

  before(async () => {
    const temp = await mkdtemp(join(tmpdir(), 'fortellis-spec-refs-'));
    folder = join(temp, 'workspace');
    outside = join(temp, 'outside');
    await mkdir(join(folder, 'schemas'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(folder, 'schemas', 'vehicle.yaml'), 'Vehicle:\n  type: object\n  example: {vin: "1"}\n');
    await writeFile(join(outside, 'secret.yaml'), 'Secret:\n  example: {token: "outside-the-workspace"}\n');
    await symlink(join(outside, 'secret.yaml'), join(folder, 'schemas', 'linked.yaml'));
    server = createServer((_request, res) => {
      hits += 1;
      res.end('Remote:\n  type: object\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(join(folder, '..'), { recursive: true, force: true });
  });

  async function bundled(ref: string, root: string | undefined) {
    const text = `swagger: "2.0"\ninfo: {title: Refs, version: "1"}\npaths:\n  /vehicles:\n    get:\n      responses:\n        "200":\n          description: ok\n          schema:\n            $ref: "${ref}"\n`;
    const parse = parseSpec(text);
    assert.ok(parse.ok);
    return bundleSpec(parse.spec, join(folder, 'spec.yaml'), text, root);
  }

  it('a file in the workspace folder is bundled in', async () => {
    const result = await bundled('./schemas/vehicle.yaml#/Vehicle', folder);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.match(JSON.stringify(result.spec.document), /"vin":"1"/);
  });

  it('an http $ref is refused with a problem at its line, and nothing is fetched', async () => {
    const { port } = server.address() as AddressInfo;
    const result = await bundled(`http://127.0.0.1:${port}/remote.yaml#/Remote`, folder);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problems.map((problem) => problem.message).join('\n') : '', /is not fetched/);
    assert.equal(hits, 0, 'no request reached the server the spec names');
  });

  it('a file outside the folder (through .., an absolute path or a symbolic link) is not read', async () => {
    for (const ref of ['../outside/secret.yaml#/Secret', `${join(outside, 'secret.yaml')}#/Secret`, './schemas/linked.yaml#/Secret']) {
      const result = await bundled(ref, folder);
      assert.equal(result.ok, false, ref);
      const messages = !result.ok ? result.problems.map((problem) => problem.message).join('\n') : '';
      assert.match(messages, /outside the workspace folder/, ref);
      assert.doesNotMatch(messages, /outside-the-workspace/, ref);
    }
  });

  it('a spec in no workspace folder reads no other file', async () => {
    const result = await bundled('./schemas/vehicle.yaml#/Vehicle', undefined);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problems[0].message : '', /in no workspace folder/);
  });
});
