import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSpec, type ParsedSpec } from '../../../src/core/specs/specDocument';
import type { BundledSpec, SpecOperation } from '../../../src/core/specs/specModel';
import { specOperation } from '../../../src/core/specs/specModel';
import { bundleSpec } from '../../../src/core/specs/specRefs';
import { mappedBaseUrl, specServer } from '../../../src/core/specs/specServers';
import { requestClientCredentialsToken } from '../../../src/core/tokens/tokenRequests';
import { DEMO_CLIENT, type Sandbox, startSandbox } from '../../sandbox/sandboxServer';
import { SANDBOX_SPEC_PATH } from '../../sandbox/spec/vehicleApi';
import { repoRoot } from '../../host/paths';

export const fixturesDir = join(repoRoot, 'test', 'unit', 'specs', 'fixtures');

export interface LoadedSpec {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedSpec;
  readonly bundled: BundledSpec;
  operation(method: string, path: string): SpecOperation;
}

/** Reads, parses and bundles a spec file (a fixture, or the sandbox's spec), failing the test if any step fails. */
export async function loadSpec(path: string): Promise<LoadedSpec> {
  const text = readFileSync(path, 'utf8');
  const parse = parseSpec(text);
  assert.ok(parse.ok, `${path} parses: ${JSON.stringify(parse.problems)}`);
  const bundle = await bundleSpec(parse.spec, path, text, dirname(path));
  assert.ok(bundle.ok, `${path} bundles: ${JSON.stringify(!bundle.ok && bundle.problems)}`);
  return {
    path,
    text,
    parsed: parse.spec,
    bundled: bundle.spec,
    operation(method, operationPath) {
      const operation = specOperation(bundle.spec, method, operationPath);
      assert.ok(operation, `${method} ${operationPath} is in ${path}`);
      return operation;
    },
  };
}

export const fixture = (name: string): Promise<LoadedSpec> => loadSpec(join(fixturesDir, name));

/** The sandbox, a token of its demo app, its own spec, and the spec's base URL mapped onto its API base. */
export async function sandboxWithItsSpec(): Promise<{ sandbox: Sandbox; token: string; spec: LoadedSpec; baseUrl: string }> {
  const sandbox = await startSandbox();
  const { accessToken } = await requestClientCredentialsToken(
    sandbox.issuer,
    { apiKey: DEMO_CLIENT.clientId, apiSecret: DEMO_CLIENT.clientSecret },
    { timeoutMs: 5000, maxAttempts: 1 },
  );
  const spec = await loadSpec(SANDBOX_SPEC_PATH);
  const baseUrl = mappedBaseUrl(specServer(spec.bundled.version, spec.bundled.document), sandbox.apiBaseUrl, false);
  return { sandbox, token: accessToken, spec, baseUrl };
}
