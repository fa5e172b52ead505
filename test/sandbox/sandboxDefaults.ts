import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the sandbox listens by default: the default of the extension's "fortellis.sandbox.issuer" setting,
 * read from package.json so the two never disagree.
 */
export function defaultSandboxLocation(): { port: number; issuerPath: string } {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  const issuer = new URL(String(manifest.contributes.configuration.properties['fortellis.sandbox.issuer'].default));
  return { port: Number(issuer.port), issuerPath: issuer.pathname };
}
