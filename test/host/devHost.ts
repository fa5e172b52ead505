import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeUserSettings } from './codeServer';
import { repoRoot } from './paths';
import { DEMO_CLIENT } from '../sandbox/sandboxServer';

/**
 * The Extension Development Host that F5 ("Run Extension" in .vscode/launch.json) opens uses its own user-data
 * folder, .vscode-test/dev-host/user-data, so your own VS Code profile, secrets and settings stay out of it. This
 * writes its user settings: a "sandbox" profile with the sandbox's demo API key, pointing at the sandbox that the
 * "sandbox" task runs (`node out/test/sandbox/cli.js`). Other settings already there are kept. The demo API secret
 * is not written anywhere: the sandbox task prints it, and the extension asks for it (SecretStorage).
 */
export const devHostUserData = join(repoRoot, '.vscode-test', 'dev-host', 'user-data');

/** The sandbox environment's URLs are the settings' defaults, where the sandbox task listens. */
export const sandboxSettings = {
  'fortellis.profiles': [{ name: 'sandbox', environment: 'sandbox', apiKey: DEMO_CLIENT.clientId, subscriptionId: 'test' }],
  'fortellis.activeProfile': 'sandbox',
};

async function main(): Promise<void> {
  const file = join(devHostUserData, 'User', 'settings.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  await writeUserSettings(devHostUserData, { ...existing, ...sandboxSettings });
  console.log(`Extension Development Host settings: ${file} (profile "sandbox", API key ${DEMO_CLIENT.clientId}).`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
