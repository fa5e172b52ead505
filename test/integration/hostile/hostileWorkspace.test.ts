import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { filesContaining, terminalTokenFile } from '../../e2e/secretScan';
import { AGENT_TOOLS } from '../../../src/core/agentTools/agentToolNames';
import { apiRequests, copiedToken, ensureSandboxProfile, extensionApi, NEW_URL, sandboxApiBaseUrl, statusBarText, testApp } from '../testEnvironment';
import { ScriptedUser } from '../userInput';

/**
 * A repository that attacks whoever opens it (written by the runner, test/host/hostileWorkspace.ts): every
 * fortellis.* setting set to an attacker's value, a .git/config whose fsmonitor command leaves a marker, a
 * currentToken.json that links to a file outside, a .env with the user's own entries. The user does what users do:
 * get a token, write the token file, Call API, open a terminal. Run once trusted and once in Restricted Mode.
 */
const mode = process.env.FORTELLIS_TEST_TRUST === 'trusted' ? 'trusted' : 'restricted';
const env = (name: string): string => {
  const value = process.env[name];
  assert.ok(value, `${name} is set by the runner`);
  return value;
};

describe(`A hostile workspace (${mode})`, function () {
  this.timeout(120_000);
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const attacker = () => env('FORTELLIS_TEST_ATTACKER_URL');
  let user: ScriptedUser | undefined;
  let token = '';
  afterEach(() => user?.dispose());

  async function attackerRequests(): Promise<Array<{ method: string; url: string }>> {
    return (await (await fetch(env('FORTELLIS_TEST_ATTACKER_REQUESTS_URL'))).json()) as Array<{ method: string; url: string }>;
  }

  it(`opens ${mode === 'trusted' ? 'in Restricted Mode, then trusted by the user' : 'in Restricted Mode'}, with the attacker's files in place`, async () => {
    if (mode === 'trusted' && !vscode.workspace.isTrusted) {
      // The user opens "Manage Workspace Trust" and clicks "Trust" (the runner clicks it in the page).
      const granted = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('The workspace was not trusted within 60 s')), 60_000);
        vscode.workspace.onDidGrantWorkspaceTrust(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await vscode.commands.executeCommand('workbench.trust.manage');
      await granted;
    }
    assert.equal(vscode.workspace.isTrusted, mode === 'trusted');
    assert.ok(lstatSync(join(folder(), 'currentToken.json')).isSymbolicLink());
    assert.ok(existsSync(join(folder(), '.git', 'config')));
  });

  it('"Get Fortellis Token" and Copy Token work and the countdown shows, with the user\'s own profile: the workspace\'s profiles and sandbox URLs are not used', async () => {
    await ensureSandboxProfile();
    token = await copiedToken();
    assert.ok(token.split('.').length === 3, 'a JWT on the clipboard');
    await statusBarText(await extensionApi(), /sandbox · \d+m/);
    const profiles = vscode.workspace.getConfiguration('fortellis').inspect<unknown[]>('profiles');
    assert.ok((profiles?.globalValue ?? []).length === 1, 'the profile the user added');
  });

  it('"Write Token to File" on the symlinked currentToken.json: the link\'s target is unchanged, and the user is told why', async () => {
    const victim = env('FORTELLIS_TEST_SYMLINK_TARGET');
    const before = readFileSync(victim, 'utf8');
    user = new ScriptedUser(mode === 'trusted' ? [join(folder(), 'currentToken.json')] : []);
    await vscode.commands.executeCommand('fortellis.writeTokenToFile');
    assert.equal(readFileSync(victim, 'utf8'), before, 'the target of the link is unchanged');
    const expected =
      mode === 'trusted'
        ? /currentToken\.json is a symbolic link: Fortellis Auth does not write a token through a link/
        : /Token files wait until you trust this workspace/;
    assert.ok(
      user.messages.some((message) => expected.test(message)),
      user.messages.join('\n'),
    );
  });

  it(
    mode === 'trusted'
      ? '"Write Token to File" on .env keeps its other entries, mode 0600, and checks git without running the repository\'s fsmonitor'
      : '.env is not touched until the workspace is trusted',
    async () => {
      const dotenv = join(folder(), '.env');
      const before = readFileSync(dotenv, 'utf8');
      user = new ScriptedUser(mode === 'trusted' ? [dotenv] : [], 'Add to .gitignore');
      await vscode.commands.executeCommand('fortellis.writeTokenToFile');
      const after = readFileSync(dotenv, 'utf8');
      for (const line of before.split('\n').filter(Boolean)) {
        assert.ok(after.split('\n').includes(line), `.env keeps "${line.split('=')[0]}"`);
      }
      if (mode === 'trusted') {
        assert.ok(after.split('\n').includes(`FORTELLIS_TOKEN=${token}`), 'the token entry is written');
        assert.equal(statSync(dotenv).mode & 0o777, 0o600);
        assert.ok(
          user.messages.some((message) => message.startsWith('.env is not git-ignored')),
          user.messages.join('\n'),
        );
        assert.match(readFileSync(join(folder(), '.gitignore'), 'utf8'), /^\/\.env$/m);
      } else {
        assert.equal(after, before);
        assert.ok(
          user.messages.some((message) => /Token files wait until you trust this workspace/.test(message)),
          user.messages.join('\n'),
        );
      }
    },
  );

  it("Call API: the user's API works; a host the user did not configure is asked for in a modal naming it, and gets nothing when refused", async () => {
    user = new ScriptedUser(['GET', NEW_URL, `${sandboxApiBaseUrl()}/cdk-test/sales/v1/orders`, 'test']);
    await vscode.commands.executeCommand('fortellis.callApi');
    assert.equal(user.unanswered, 0);
    user.dispose();
    const foreign = `${attacker()}/collect`;
    user = new ScriptedUser(['GET', NEW_URL, foreign]);
    await vscode.commands.executeCommand('fortellis.callApi');
    const host = new URL(foreign).host;
    assert.ok(
      user.messages.some((message) => message.startsWith(`Send the token of "sandbox" to ${host}?`)),
      user.messages.join('\n'),
    );
    assert.equal(user.unanswered, 0);
  });

  it(
    mode === 'trusted'
      ? "an agent's fortellis_call_api: a GET under the user's API base goes without a dialog"
      : "an agent's fortellis_call_api: in Restricted Mode Fortellis asks in its own dialog before every request, even under the user's API base; declined, nothing is sent",
    async () => {
      const call = async (): Promise<string> => {
        const result = await vscode.lm.invokeTool(AGENT_TOOLS.callApi, {
          input: { method: 'GET', url: '/cdk-test/sales/v1/vehicles' },
          toolInvocationToken: undefined,
        });
        const [part] = result.content;
        assert.ok(part instanceof vscode.LanguageModelTextPart, 'a text part');
        return part.value;
      };
      const url = `${sandboxApiBaseUrl()}/cdk-test/sales/v1/vehicles`;
      const before = (await apiRequests()).length;
      // The user's answer: none (Escape, Cancel) first.
      user = new ScriptedUser([]);
      const first = await call();
      if (mode === 'trusted') {
        assert.deepEqual(user.messages, [], 'no dialog');
        assert.match(first, /→ HTTP 200 OK/, first);
        assert.equal((await apiRequests()).length, before + 1);
        return;
      }
      assert.deepEqual(user.messages, [`Send GET ${new URL(url).host}${new URL(url).pathname} with the token of "sandbox"?`]);
      assert.match(first, /^Nothing was sent: the user declined GET /, first);
      assert.equal((await apiRequests()).length, before, 'nothing reached the API');
      user.dispose();
      // Asked again (nothing is remembered in Restricted Mode); "Send" sends exactly one request.
      user = new ScriptedUser([], 'Send');
      const second = await call();
      assert.equal(user.messages.length, 1, 'asked again');
      assert.match(second, /→ HTTP 200 OK/, second);
      assert.equal((await apiRequests()).length, before + 1);
    },
  );

  it(
    mode === 'trusted'
      ? "a terminal has FORTELLIS_TOKEN (the workspace's terminal.exportToken=false is ignored)"
      : 'a terminal does not start in Restricted Mode until the user trusts the workspace (VS Code asks first), so no shell gets the token',
    async () => {
      const out = join(env('FORTELLIS_TEST_OUTSIDE_DIR'), `terminal-${mode}.txt`);
      const terminal = vscode.window.createTerminal({ name: 'hostile', shellPath: '/bin/bash', shellArgs: ['--noprofile', '--norc'] });
      try {
        terminal.sendText(`printf '%s' "\${FORTELLIS_TOKEN:-none}" | sha256sum | cut -c1-64 > '${out}.tmp'; mv '${out}.tmp' '${out}'`);
        const deadline = Date.now() + (mode === 'trusted' ? 30_000 : 10_000);
        while (!existsSync(out) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        terminal.dispose();
      }
      if (mode === 'restricted') {
        // The workbench asked "Do you trust the authors of the files in this folder?" (test windows refuse every
        // dialog): no shell ran, with or without the token.
        assert.equal(existsSync(out), false, 'no shell ran in Restricted Mode');
        return;
      }
      assert.ok(existsSync(out), 'the terminal ran the command');
      const { createHash } = await import('node:crypto');
      assert.equal(readFileSync(out, 'utf8').trim(), createHash('sha256').update(token).digest('hex'));
    },
  );

  it('"Sign In with Browser" works here, with the user\'s own sign-in settings: the sandbox issuer, PKCE on, a refresh token kept', async () => {
    const api = await extensionApi();
    user = new ScriptedUser([]);
    // The runner's page handler logs in on the sandbox's pages, as the person at the browser would.
    await vscode.commands.executeCommand('fortellis.signIn');
    assert.match(user.messages.join('\n'), /Signed in to Fortellis as dealer-alice \(sandbox\): user token expires in \d+m/);
    const deadline = Date.now() + 10_000;
    while (!api.status().user && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The attacker's file turns refresh tokens and PKCE off and points the loopback callback at its server.
    assert.equal(api.status().user?.refreshable, true, "a refresh token (offline_access), as the user's settings ask");
    const log = await extensionLog((text) => /Sign-in for "sandbox": code flow, .*, PKCE on\./.test(text));
    const line = log.split('\n').find((entry) => entry.includes('Sign-in for "sandbox": code flow')) ?? '';
    assert.match(line, /PKCE on\./);
    assert.ok(!line.includes(attacker()), `the redirect_uri is not the attacker's: ${line}`);
  });

  it('no request left for a host the user did not enter; the fsmonitor marker does not exist', async () => {
    assert.deepEqual(await attackerRequests(), [], "the attacker's server saw nothing");
    assert.equal(existsSync(env('FORTELLIS_TEST_FSMONITOR_MARKER')), false, "the repository's fsmonitor command never ran");
  });

  it('every attacker setting was ignored, with a log line naming it', async () => {
    const settings = JSON.parse(readFileSync(join(folder(), '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    const names = Object.keys(settings).filter((name) => name.startsWith('fortellis.'));
    assert.ok(names.length >= 16, "every fortellis.* setting is in the attacker's file");
    const config = vscode.workspace.getConfiguration('fortellis');
    for (const name of names) {
      const inspected = config.inspect(name.slice('fortellis.'.length));
      assert.equal(inspected?.workspaceValue, undefined, `VS Code does not apply the workspace's ${name}`);
    }
    const log = await extensionLog((text) => names.every((name) => text.includes(`Ignored "${name}" set by the workspace (.vscode/settings.json)`)));
    for (const name of names) {
      assert.ok(log.includes(`Ignored "${name}" set by the workspace (.vscode/settings.json)`), `a log line names ${name}`);
    }
  });

  it("the secret scan finds nothing: no API secret anywhere, the token only in the file the user asked for and the terminals' private token file", async () => {
    const userData = env('FORTELLIS_TEST_USER_DATA_DIR');
    const needles = { 'API secret': testApp.apiSecret, token };
    // The terminals' token file (FORTELLIS_TOKEN_FILE) is the extension's own, outside the workspace, mode 600; a
    // window in Restricted Mode never writes it.
    const tokenFile = terminalTokenFile(userData);
    const found = [...(await filesContaining(userData, needles)), ...(await filesContaining(folder(), needles))].filter(
      (hit) => !(mode === 'trusted' && (hit === `${join(folder(), '.env')}: token` || hit === `${tokenFile}: token`)),
    );
    assert.deepEqual(found, []);
    if (mode === 'trusted' && existsSync(tokenFile)) {
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600, "the terminals' token file is readable by the user only");
    }
    assert.deepEqual(await filesContaining(env('FORTELLIS_TEST_OUTSIDE_DIR'), needles), []);
  });
});

/** The "Fortellis Auth" log as the host wrote it to disk, once `ready` holds (the log is written asynchronously). */
async function extensionLog(ready: (text: string) => boolean): Promise<string> {
  const root = process.env.FORTELLIS_TEST_USER_DATA_DIR ?? '';
  const deadline = Date.now() + 15_000;
  let text = '';
  while (Date.now() < deadline) {
    text = logFiles(root)
      .filter((file) => /Fortellis Auth\.log$/.test(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    if (ready(text)) {
      return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return text;
}

function logFiles(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? logFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
