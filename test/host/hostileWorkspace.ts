/**
 * The hostile-workspace windows: code-server with workspace trust on, a workspace an attacker wrote (see
 * test/integration/hostile/hostileWorkspace.test.ts for what the user does there and what is asserted), once
 * trusted by the user ("Trust" clicked in the Workspace Trust editor, as a person does) and once left in Restricted Mode.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './paths';
import { type IntegrationSuiteOptions, runIntegrationSuite } from './runIntegrationTests';

type Suite = Pick<IntegrationSuiteOptions, 'env' | 'userSettings' | 'onContext' | 'trustedDomains'>;

/** A server of the attacker's on another loopback address: it records every request that reaches it. */
async function startAttackerServer(): Promise<{ url: string; requestsUrl: string; close(): Promise<void> }> {
  const seen: Array<{ method: string; url: string }> = [];
  const server: Server = createServer((request, response) => {
    if (request.url === '/__seen') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
      return;
    }
    seen.push({ method: request.method ?? '', url: request.url ?? '' });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"attacker","expires_in":3600,"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.3', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.3:${port}`;
  return { url, requestsUrl: `${url}/__seen`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Every fortellis.* setting, set to what an attacker wants. */
export function attackerSettings(attacker: string): Record<string, unknown> {
  return {
    'fortellis.profiles': [
      {
        name: 'sandbox',
        environment: 'custom',
        apiKey: 'attacker-key',
        issuer: `${attacker}/oauth2/evil`,
        apiBaseUrl: attacker,
        subscriptionsUrl: `${attacker}/subscriptions`,
      },
    ],
    'fortellis.activeProfile': 'sandbox',
    'fortellis.sandbox.issuer': `${attacker}/oauth2/sandbox`,
    'fortellis.sandbox.apiBaseUrl': `${attacker}/api`,
    'fortellis.sandbox.subscriptionsUrl': `${attacker}/subscriptions`,
    'fortellis.tokenRenewal.enabled': false,
    'fortellis.tokenRenewal.secondsBeforeExpiry': 30,
    'fortellis.http.timeoutSeconds': 1,
    'fortellis.signIn.pkce': false,
    'fortellis.signIn.refreshTokens': false,
    'fortellis.signIn.scopes': 'openid attacker:everything',
    'fortellis.signIn.timeoutSeconds': 3600,
    'fortellis.signIn.loopbackRedirectUri': `${attacker}/callback`,
    'fortellis.signIn.implicitResponseType': 'token',
    'fortellis.snippets.writeTokenLiterally': true,
    'fortellis.terminal.exportToken': false,
  };
}

async function writeHostileWorkspace(folder: string, attacker: string, outside: string, marker: string, symlinkTarget: string): Promise<void> {
  await mkdir(join(folder, '.vscode'), { recursive: true });
  await writeFile(join(folder, '.vscode', 'settings.json'), JSON.stringify(attackerSettings(attacker), null, 2));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
  git('init', '-q', '.');
  await writeFile(join(folder, 'README.md'), 'A repository.\n');
  git('add', 'README.md');
  git('-c', 'user.email=attacker@example.com', '-c', 'user.name=attacker', 'commit', '-qm', 'init');
  // From now on, any git that reads this repository's config runs this.
  git('config', 'core.fsmonitor', `touch '${marker}'; echo`);
  await writeFile(symlinkTarget, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI the user's key\n");
  await symlink(symlinkTarget, join(folder, 'currentToken.json'));
  await writeFile(join(folder, '.env'), 'DATABASE_URL=postgres://localhost/app\nDEBUG=1\n');
  await mkdir(outside, { recursive: true });
}

/**
 * The person at the browser trusts the folder: in the Workspace Trust editor (which the test opens with
 * "Manage Workspace Trust"; the startup dialog is not shown to test windows), the "Trust" button.
 */
async function trustWhenAsked(page: Page): Promise<void> {
  try {
    const button = page.locator('.workspace-trust-buttons-row .monaco-button', { hasText: /^\s*Trust\s*$/ }).first();
    await button.waitFor({ state: 'visible', timeout: 120_000 });
    await button.click();
  } catch (error) {
    if (!page.isClosed()) {
      console.error(`The folder was not trusted in the Workspace Trust editor: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
}

/** Runs the hostile-workspace window trusted, then in Restricted Mode; 0 when both pass. */
export async function runHostileWorkspaceWindows(suite: Suite): Promise<number> {
  const attacker = await startAttackerServer();
  const outside = await mkdtemp(join(tmpdir(), 'fortellis-hostile-outside-'));
  let failed = 0;
  try {
    for (const trust of ['trusted', 'restricted'] as const) {
      const marker = join(outside, `fsmonitor-ran-${trust}`);
      const symlinkTarget = join(outside, `authorized_keys-${trust}`);
      const exitCode = await runIntegrationSuite({
        ...suite,
        phases: [{ name: `hostile-workspace-${trust}`, extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'hostile', 'index.js') }],
        workspaceTrust: true,
        prepareWorkspace: (folder) => writeHostileWorkspace(folder, attacker.url, join(outside, trust), marker, symlinkTarget),
        env: {
          ...suite.env,
          FORTELLIS_TEST_TRUST: trust,
          FORTELLIS_TEST_ATTACKER_URL: attacker.url,
          FORTELLIS_TEST_ATTACKER_REQUESTS_URL: attacker.requestsUrl,
          FORTELLIS_TEST_FSMONITOR_MARKER: marker,
          FORTELLIS_TEST_SYMLINK_TARGET: symlinkTarget,
          FORTELLIS_TEST_OUTSIDE_DIR: join(outside, trust),
        },
        userSettings: {
          ...suite.userSettings,
          // VS Code's own Git extension runs `git status` in a trusted repository with its config (the user trusted it):
          // off, so that the marker measures what this extension runs.
          'git.enabled': false,
          'security.workspace.trust.startupPrompt': 'never',
        },
        onContext: async (context) => {
          await suite.onContext?.(context);
          if (trust === 'trusted') {
            context.on('page', (page) => void page.opener().then((opener) => (opener ? undefined : trustWhenAsked(page))));
          }
        },
        timeoutMs: 5 * 60_000,
      });
      // Both windows run, whatever the first did.
      failed ||= exitCode;
    }
    return failed;
  } finally {
    await attacker.close();
    await rm(outside, { recursive: true, force: true });
  }
}
