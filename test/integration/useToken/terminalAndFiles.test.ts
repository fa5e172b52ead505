import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { renderRequestSnippet } from '../../../src/core/snippets/renderSnippet';
import { apiRequests, copiedToken, ensureSandboxProfile, fingerprint, sandboxApiBaseUrl, until } from '../testEnvironment';
import { bashTerminal, printedIn, terminalSees, terminalTokenOnceItIs } from '../terminals';
import { ScriptedUser } from '../userInput';

// A root hook: after every suite of this window. The next window (faults) starts without a profile, as this one did.
after(async () => {
  const user = new ScriptedUser([], 'Remove');
  try {
    await vscode.commands.executeCommand('fortellis.removeProfile');
  } finally {
    user.dispose();
  }
});

/** FORTELLIS_TOKEN in integrated terminals and a token file kept fresh: both follow a renewal. */
describe('The token in terminals and files', function () {
  this.timeout(90_000);
  let user: ScriptedUser | undefined;
  before(ensureSandboxProfile);
  afterEach(() => user?.dispose());
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

  /** For until(): true once git ignores `path`. */
  function gitIgnores(path: string): true | undefined {
    try {
      execFileSync('git', ['check-ignore', '-q', path], { cwd: folder() });
      return true;
    } catch {
      return undefined;
    }
  }

  /** For until(): true once `file` holds FORTELLIS_TOKEN=`token`. */
  function holdsToken(file: string, token: string): true | undefined {
    return (existsSync(file) && readFileSync(file, 'utf8').includes(`FORTELLIS_TOKEN=${token}`)) || undefined;
  }

  /** What a terminal reads: the path in $FORTELLIS_TOKEN_FILE, the fingerprints of that file and of $FORTELLIS_TOKEN. */
  async function tokenFileSeenIn(terminal: vscode.Terminal, name: string): Promise<{ path: string; file: string; variable: string }> {
    const text = await printedIn(
      terminal,
      name,
      `printf '%s\\n' "$FORTELLIS_TOKEN_FILE"; sha256sum < "$FORTELLIS_TOKEN_FILE" | cut -c1-64; printf '%s' "$FORTELLIS_TOKEN" | sha256sum | cut -c1-64`,
    );
    const [path = '', file = '', variable = ''] = text.split('\n');
    return { path, file, variable };
  }

  it('a new terminal has FORTELLIS_TOKEN and FORTELLIS_SUBSCRIPTION_ID; after "Renew Token" a new terminal has the new token', async () => {
    const before = await copiedToken();
    const first = await terminalSees('before-renewal');
    assert.equal(first.token, fingerprint(before), 'the current token');
    assert.equal(first.subscriptionId, 'test', "the profile's Subscription-Id");
    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.renewToken');
    user.dispose();
    const after = await copiedToken();
    assert.notEqual(after, before, 'renewed');
    assert.equal(await terminalTokenOnceItIs('after-renewal', fingerprint(after)), fingerprint(after), 'the renewed token');
  });

  it('a terminal opened before "Renew Token" reads the renewed token from the file FORTELLIS_TOKEN_FILE names (0600, outside the workspace), which goes when terminals get no token', async () => {
    const before = await copiedToken();
    const terminal = bashTerminal('opened-before-renewal');
    try {
      const first = await tokenFileSeenIn(terminal, 'token-file-1');
      assert.ok(isAbsolute(first.path), `FORTELLIS_TOKEN_FILE is a path: ${JSON.stringify(first.path)}`);
      assert.ok(relative(folder(), first.path).startsWith('..'), `${first.path} is outside the workspace folder`);
      assert.equal(statSync(first.path).mode & 0o777, 0o600, 'readable by the user only');
      assert.equal(first.file, fingerprint(before), 'the file holds the current token');
      assert.equal(first.variable, fingerprint(before));

      user = new ScriptedUser([]);
      await vscode.commands.executeCommand('fortellis.renewToken');
      user.dispose();
      const after = await copiedToken();
      assert.notEqual(after, before, 'renewed');
      await until('the file holds the renewed token', () => readFileSync(first.path, 'utf8') === after || undefined);

      const second = await tokenFileSeenIn(terminal, 'token-file-2');
      assert.equal(second.path, first.path, 'the same file');
      assert.equal(second.file, fingerprint(after), 'the terminal opened before the renewal reads the renewed token from the file');
      assert.equal(second.variable, fingerprint(before), 'its FORTELLIS_TOKEN is still the old one: that is what the file is for');

      const settings = vscode.workspace.getConfiguration('fortellis');
      await settings.update('terminal.exportToken', false, vscode.ConfigurationTarget.Global);
      try {
        await until('the file is removed when terminals get no token', () => !existsSync(first.path) || undefined);
      } finally {
        await settings.update('terminal.exportToken', undefined, vscode.ConfigurationTarget.Global);
      }
      await until('the file is back when they do again', () => (existsSync(first.path) && readFileSync(first.path, 'utf8') === after) || undefined);
    } finally {
      terminal.dispose();
    }
  });

  it('"Write Token to File" keeps currentToken.json fresh, warns that git would commit it, and git-ignores it on request', async () => {
    execFileSync('git', ['init', '-q'], { cwd: folder() });
    const file = join(folder(), 'currentToken.json');
    user = new ScriptedUser([file], 'Add to .gitignore');
    await vscode.commands.executeCommand('fortellis.writeTokenToFile');
    assert.equal(user.unanswered, 0);
    const token = await copiedToken();
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.equal(written.access_token, token);
    assert.equal(written.token_type, 'Bearer');
    assert.ok(Number(written.expires_in) > 3500);
    assert.ok(
      user.messages.some((message) => message.startsWith('currentToken.json is not git-ignored: committing it would publish a token.')),
      user.messages.join('\n'),
    );
    assert.match(readFileSync(join(folder(), '.gitignore'), 'utf8'), /^\/currentToken\.json$/m);
    execFileSync('git', ['check-ignore', '-q', file], { cwd: folder() });
    user.dispose();

    user = new ScriptedUser([]);
    await vscode.commands.executeCommand('fortellis.renewToken');
    user.dispose();
    const renewed = await copiedToken();
    const deadline = Date.now() + 10_000;
    while ((JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>).access_token !== renewed) {
      assert.ok(Date.now() < deadline, 'the file follows the renewal');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    user = new ScriptedUser(['currentToken.json']);
    await vscode.commands.executeCommand('fortellis.stopWritingTokenFiles');
    assert.ok(user.messages.some((message) => message.startsWith('Stopped writing the Fortellis token to currentToken.json')));
  });

  it('a .http file that reads the token from .env beside it: "Keep Token in .env" keeps it there (0600, git-ignored), and httpyac sends the file as it is, with no FORTELLIS_TOKEN in its environment', async () => {
    execFileSync('git', ['init', '-q'], { cwd: folder() });
    const dir = join(folder(), 'requests');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'vehicles.http');
    const url = `${sandboxApiBaseUrl()}/dotenv/v1/vehicles`;
    writeFileSync(file, renderRequestSnippet('http', { method: 'GET', url, subscriptionId: 'test', token: { from: 'environment' } }));
    // The token first: copiedToken answers messages itself while it runs, and the offer must reach this user.
    const token = await copiedToken();
    user = new ScriptedUser([], 'Keep Token in .env');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const dotenv = join(dir, '.env');
    await until('the token in .env', () => holdsToken(dotenv, token));
    assert.ok(
      user.messages.some((message) => message.startsWith('requests/vehicles.http reads the Fortellis token from requests/.env. Keep the token there?')),
      user.messages.join('\n'),
    );
    assert.equal(statSync(dotenv).mode & 0o777, 0o600, 'readable by the user only');
    // Git-ignored right after the write: .gitignore follows a moment later.
    await until('.env git-ignored', () => gitIgnores(dotenv));

    // Sent as REST Client or httpyac would send it from the editor: the httpyac CLI, in a process without the token.
    const env = { ...process.env };
    delete env.FORTELLIS_TOKEN;
    execFileSync(process.execPath, [require.resolve('httpyac/bin/httpyac.js'), 'send', 'vehicles.http', '--all', '--no-color'], {
      cwd: dir,
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      timeout: 60_000,
    });
    const sent = (await apiRequests()).filter((record) => record.path.endsWith('/dotenv/v1/vehicles'));
    assert.equal(sent.length, 1, 'httpyac sent the request');
    assert.equal(sent[0].authenticated, true, 'with a valid token, read from the .env the extension keeps');
  });

  it('a hostile repository un-ignores .env in a .gitignore beside its .http file (!.env): "Keep Token in .env" still leaves .env git-ignored', async () => {
    execFileSync('git', ['init', '-q'], { cwd: folder() });
    const dir = join(folder(), 'negated-ignore');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'parts.http');
    writeFileSync(
      file,
      renderRequestSnippet('http', { method: 'GET', url: `${sandboxApiBaseUrl()}/dotenv/v1/parts`, subscriptionId: 'test', token: { from: 'environment' } }),
    );
    writeFileSync(join(dir, '.gitignore'), '!.env\n');
    // The token first: copiedToken answers messages itself while it runs, and the offer must reach this user.
    const token = await copiedToken();
    user = new ScriptedUser([], 'Keep Token in .env');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const dotenv = join(dir, '.env');
    await until('the token in .env', () => holdsToken(dotenv, token));
    await until('the .gitignore entries', () => gitIgnores(dotenv));
    assert.ok(
      user.messages.some((message) => message.startsWith('Added ')),
      user.messages.join(' | '),
    );
    const untracked = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', dir], { cwd: folder(), encoding: 'utf8' });
    assert.ok(!untracked.includes('negated-ignore/.env'), `git add -A would add the token's .env:\n${untracked}`);
    execFileSync('git', ['check-ignore', '-q', dotenv], { cwd: folder() });
  });

  it('a hostile repository ships a git-tracked .env beside its .http file: "Keep Token in .env" writes nothing, the .env stays byte for byte as it was, and the message says why and what to do', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: folder() });
    git('init', '-q');
    const dir = join(folder(), 'tracked-env');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'orders.http');
    const dotenv = join(dir, '.env');
    writeFileSync(
      file,
      renderRequestSnippet('http', { method: 'GET', url: `${sandboxApiBaseUrl()}/dotenv/v1/orders`, subscriptionId: 'test', token: { from: 'environment' } }),
    );
    writeFileSync(dotenv, 'API_URL=https://example.test\nFORTELLIS_TOKEN=\n', { mode: 0o644 });
    git('add', '--', dotenv, file);
    git('commit', '-qm', 'a .http file and the .env it reads', '--', dotenv, file);
    const before = readFileSync(dotenv, 'latin1');
    const ignoreFile = join(folder(), '.gitignore');
    const ignoreBefore = existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : undefined;

    user = new ScriptedUser([], 'Keep Token in .env');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const refusal = 'Fortellis: .env is tracked by git: writing the token there would publish it with your next commit.';
    const outcome = await until('the outcome of "Keep Token in .env"', () =>
      user?.messages.find((message) => message.startsWith(refusal) || message.startsWith('Fortellis token written to')),
    );
    // Fingerprints, not the text: a failure must not print the token.
    assert.equal(fingerprint(readFileSync(dotenv, 'latin1')), fingerprint(before), 'the tracked .env is unchanged, byte for byte');
    assert.equal(statSync(dotenv).mode & 0o777, 0o644);
    assert.equal(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : undefined, ignoreBefore, '.gitignore is unchanged');
    assert.equal(execFileSync('git', ['status', '--porcelain', '--', dir], { cwd: folder(), encoding: 'utf8' }), '', 'git sees nothing to commit');
    assert.ok(outcome.startsWith(refusal) && outcome.includes('`git rm --cached .env`'), outcome);
    assert.ok(
      user.messages.some((message) => message.startsWith('tracked-env/orders.http reads the Fortellis token from tracked-env/.env. Keep the token there?')),
      user.messages.join('\n'),
    );
  });
});
