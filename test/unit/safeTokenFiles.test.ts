import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSafely } from '../../src/core/tokenExport/safeFileWrite';
import { locateGit, safeGitIgnores, safeGitRoot, safeGitTracks } from '../../src/core/tokenExport/safeGit';
import { tokenFileText } from '../../src/core/tokenExport/tokenFileContent';
import type { IssuedToken } from '../../src/core/tokens/token';

const now = Date.parse('2026-11-22T10:00:00.000Z');
const token: IssuedToken = { accessToken: 'eyJ.unit-test-token.sig', tokenType: 'Bearer', scope: 'anonymous', receivedAt: now, expiresAt: now + 3600_000 };
const json = () => tokenFileText('json', token, now);

describe('Token files are written safely (real files, real links)', () => {
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'fortellis-safe-'));
    chmodSync(root, 0o755);
    workspace = join(root, 'workspace');
    outside = join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
  });

  afterEach(() => rmSync(join(workspace, '..'), { recursive: true, force: true }));

  it('writes the token file with mode 0600 (only the user can read it), whatever the umask', async () => {
    const file = join(workspace, 'currentToken.json');
    const previous = process.umask(0o000);
    try {
      assert.deepEqual(await writeFileSafely({ path: file, workspaceFolders: [workspace], text: json, mode: 0o600 }), { written: true });
    } finally {
      process.umask(previous);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).access_token, token.accessToken);
  });

  it('a .env file is left as it is when the token holds a line break, with a message that says why and holds no token', async () => {
    const file = join(workspace, '.env');
    writeFileSync(file, 'DEBUG=1\nFORTELLIS_TOKEN=old\n');
    const injected: IssuedToken = { ...token, accessToken: 'x\nNODE_OPTIONS=--require=/tmp/pwn.js' };
    const result = await writeFileSafely({
      path: file,
      workspaceFolders: [workspace],
      text: (existing) => tokenFileText('dotenv', injected, now, existing),
      mode: 0o600,
      readsExisting: true,
    });
    assert.equal(result.written, false);
    assert.match(result.written ? '' : result.message, /^\.env was left as it is: The token holds characters a token cannot have .*a line break among them/);
    assert.ok(!(result.written ? '' : result.message).includes('NODE_OPTIONS'));
    assert.equal(readFileSync(file, 'utf8'), 'DEBUG=1\nFORTELLIS_TOKEN=old\n');
    assert.deepEqual(readdirSync(workspace), ['.env']);
  });

  it('an existing 0644 token file becomes 0600, and no temporary file is left behind', async () => {
    const file = join(workspace, 'currentToken.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    assert.equal((await writeFileSafely({ path: file, workspaceFolders: [workspace], text: json, mode: 0o600, mustExist: true })).written, true);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(workspace), ['currentToken.json']);
  });

  it("refuses a symlinked currentToken.json, says why, and the link's target is unchanged", async () => {
    const target = join(outside, 'authorized_keys');
    writeFileSync(target, 'ssh-ed25519 AAAA user@host\n');
    const link = join(workspace, 'currentToken.json');
    symlinkSync(target, link);
    const result = await writeFileSafely({ path: link, workspaceFolders: [workspace], text: json, mode: 0o600 });
    assert.equal(result.written, false);
    assert.ok(!result.written && result.reason === 'symlink');
    assert.match(!result.written ? result.message : '', /currentToken\.json is a symbolic link: Fortellis Auth does not write a token through a link/);
    assert.equal(readFileSync(target, 'utf8'), 'ssh-ed25519 AAAA user@host\n');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link itself is left as it is');
  });

  it('refuses a path outside the workspace, and one reached through a symlinked folder', async () => {
    const direct = await writeFileSafely({ path: join(outside, 'token.json'), workspaceFolders: [workspace], text: json, mode: 0o600 });
    assert.ok(!direct.written && direct.reason === 'outside-workspace', JSON.stringify(direct));
    assert.match(!direct.written ? direct.message : '', /is outside the workspace folders/);
    symlinkSync(outside, join(workspace, 'linked'));
    const throughLink = await writeFileSafely({ path: join(workspace, 'linked', 'token.json'), workspaceFolders: [workspace], text: json, mode: 0o600 });
    assert.ok(!throughLink.written && throughLink.reason === 'outside-workspace', JSON.stringify(throughLink));
    assert.ok(!existsSync(join(outside, 'token.json')));
  });

  it('stops when the file has disappeared (a later rewrite), and says so', async () => {
    const result = await writeFileSafely({
      path: join(workspace, 'currentToken.json'),
      workspaceFolders: [workspace],
      text: json,
      mode: 0o600,
      mustExist: true,
    });
    assert.ok(!result.written && result.reason === 'gone');
    assert.match(!result.written ? result.message : '', /currentToken\.json no longer exists, so Fortellis Auth stopped writing the token to it/);
    assert.ok(!existsSync(join(workspace, 'currentToken.json')), 'not recreated');
  });

  it('.env: keeps the other entries and replaces FORTELLIS_TOKEN, with mode 0600', async () => {
    const env = join(workspace, '.env');
    writeFileSync(env, 'DATABASE_URL=postgres://db\nFORTELLIS_TOKEN=old\nDEBUG=1\n', { mode: 0o644 });
    const result = await writeFileSafely({
      path: env,
      workspaceFolders: [workspace],
      text: (existing) => tokenFileText('dotenv', token, now, existing),
      mode: 0o600,
      readsExisting: true,
    });
    assert.deepEqual(result, { written: true });
    assert.equal(
      readFileSync(env, 'utf8'),
      `DATABASE_URL=postgres://db\nFORTELLIS_TOKEN=${token.accessToken}\nDEBUG=1\nFORTELLIS_TOKEN_EXPIRES_AT=2026-11-22T11:00:00.000Z\n`,
    );
    assert.equal(statSync(env).mode & 0o777, 0o600);
  });

  it('.env at chmod 200 (write-only): unchanged, with a message saying it could not be read', async function () {
    // Root reads any file whatever its mode: run the write as an ordinary user (nobody) in a child process.
    const env = join(workspace, '.env');
    writeFileSync(env, 'DATABASE_URL=postgres://db\nDEBUG=1\n');
    chmodSync(env, 0o200);
    const script = `
      const { writeFileSafely } = require(${JSON.stringify(require.resolve('../../src/core/tokenExport/safeFileWrite'))});
      writeFileSafely({ path: ${JSON.stringify(env)}, workspaceFolders: [${JSON.stringify(workspace)}], text: (existing) => (existing ?? '') + 'FORTELLIS_TOKEN=x\\n', mode: 0o600, readsExisting: true })
        .then((result) => process.stdout.write(JSON.stringify(result)));`;
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      execFileSync('chown', ['-R', 'nobody', workspace]);
    }
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], asRoot ? { uid: 65534, gid: 65534 } : {}, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const result = JSON.parse(output) as { written: boolean; reason?: string; message?: string };
    assert.equal(result.written, false);
    assert.equal(result.reason, 'unreadable');
    assert.match(result.message ?? '', /^\.env could not be read \(EACCES\), so it was left as it is: its other entries would have been lost\.$/);
    chmodSync(env, 0o600);
    assert.equal(readFileSync(env, 'utf8'), 'DATABASE_URL=postgres://db\nDEBUG=1\n');
  });

  it('.gitignore appended to keeps its mode (0644) and is never written through a link', async () => {
    const ignore = join(workspace, '.gitignore');
    writeFileSync(ignore, 'node_modules/', { mode: 0o644 });
    const append = (existing: string | undefined) => `${existing ?? ''}${existing && !existing.endsWith('\n') ? '\n' : ''}/currentToken.json\n`;
    assert.equal((await writeFileSafely({ path: ignore, workspaceFolders: [workspace], text: append, readsExisting: true })).written, true);
    assert.equal(readFileSync(ignore, 'utf8'), 'node_modules/\n/currentToken.json\n');
    assert.equal(statSync(ignore).mode & 0o777, 0o644);
    rmSync(ignore);
    writeFileSync(join(outside, 'bashrc'), 'echo hi\n');
    symlinkSync(join(outside, 'bashrc'), ignore);
    const linked = await writeFileSafely({ path: ignore, workspaceFolders: [workspace], text: append, readsExisting: true });
    assert.ok(!linked.written && linked.reason === 'symlink');
    assert.equal(readFileSync(join(outside, 'bashrc'), 'utf8'), 'echo hi\n');
  });
});

describe("git runs without the repository's executable config", () => {
  let repository: string;
  let marker: string;

  before(function () {
    repository = mkdtempSync(join(tmpdir(), 'fortellis-fsmonitor-'));
    marker = join(repository, '..', `${repository.split('/').pop()}-MARKER`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repository });
    git('init', '-q', '.');
    writeFileSync(join(repository, 'tracked.txt'), 'x\n');
    git('add', 'tracked.txt');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'fixture');
    // What an attacker's repository carries: a command git runs on any index read.
    git('config', 'core.fsmonitor', `touch '${marker}'; echo`);
  });

  after(() => {
    rmSync(repository, { recursive: true, force: true });
    rmSync(marker, { force: true });
  });

  it('the fixture is live: plain `git check-ignore` in it runs the fsmonitor command', () => {
    rmSync(marker, { force: true });
    try {
      execFileSync('git', ['check-ignore', '-q', join(repository, 'currentToken.json')], { cwd: repository });
    } catch {
      // exit 1: not ignored.
    }
    assert.ok(existsSync(marker), 'the marker appears when git reads the repository config');
    rmSync(marker, { force: true });
  });

  it('check-ignore and rev-parse answer, and the marker never appears', async () => {
    const git = await locateGit({ pathVariable: process.env.PATH, platform: process.platform, untrustedFolders: [repository] });
    assert.ok(git && git.startsWith('/'), `git found at an absolute path: ${git}`);
    writeFileSync(join(repository, '.gitignore'), '/ignored.json\n');
    assert.equal(await safeGitIgnores(git, join(repository, 'currentToken.json')), false);
    assert.equal(await safeGitIgnores(git, join(repository, 'ignored.json')), true);
    assert.equal(await safeGitRoot(git, join(repository, 'currentToken.json')), repository);
    assert.equal(existsSync(marker), false, 'the fsmonitor command did not run');
  });

  it('finds git only outside the workspace: a git in the repository or a relative PATH entry is skipped', async () => {
    const bin = join(repository, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'git'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    const found = await locateGit({
      pathVariable: ['.', 'bin', bin, ...(process.env.PATH ?? '').split(':')].join(':'),
      platform: 'linux',
      untrustedFolders: [repository],
    });
    assert.ok(found && !found.startsWith(repository), `found ${found}`);
    assert.equal(await locateGit({ pathVariable: bin, platform: 'linux', untrustedFolders: [repository] }), undefined);
    assert.equal(existsSync(marker), false);
  });
});

describe('A token is never written to a file git tracks (real git)', () => {
  let repository: string;
  let marker: string;
  let git: string;
  const run = (...args: string[]) =>
    execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repository });
  const dotenv = (path: string, tracked: () => Promise<boolean | undefined>) =>
    writeFileSafely({
      path,
      workspaceFolders: [repository],
      text: (existing) => tokenFileText('dotenv', token, now, existing),
      mode: 0o600,
      readsExisting: true,
      tracked,
    });

  beforeEach(async () => {
    repository = mkdtempSync(join(tmpdir(), 'fortellis-tracked-'));
    marker = `${repository}-MARKER`;
    run('init', '-q', '.');
    // What a hostile repository ships: a committed .env beside a .http file, and a command git runs on any index read.
    mkdirSync(join(repository, 'requests'));
    writeFileSync(join(repository, 'requests', '.env'), 'API_URL=https://example.test\n', { mode: 0o644 });
    writeFileSync(join(repository, 'requests', 'vehicles.http'), 'GET https://example.test\nAuthorization: Bearer {{$dotenv FORTELLIS_TOKEN}}\n');
    run('add', '.');
    run('commit', '-qm', 'fixture');
    run('config', 'core.fsmonitor', `touch '${marker}'; echo`);
    const found = await locateGit({ pathVariable: process.env.PATH, platform: process.platform, untrustedFolders: [repository] });
    assert.ok(found);
    git = found;
  });

  afterEach(() => {
    assert.equal(existsSync(marker), false, "the repository's fsmonitor command never ran");
    rmSync(repository, { recursive: true, force: true });
  });

  it('a committed .env is refused, left byte for byte as it was, with a message that says why and what to do', async () => {
    const env = join(repository, 'requests', '.env');
    const before = readFileSync(env);
    const result = await dotenv(env, () => safeGitTracks(git, env));
    assert.ok(!result.written && result.reason === 'tracked', JSON.stringify(result));
    assert.equal(
      result.message,
      '.env is tracked by git: writing the token there would publish it with your next commit. Pick another file, or untrack it first (`git rm --cached .env` in its folder).',
    );
    assert.deepEqual(readFileSync(env), before);
    assert.equal(statSync(env).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(join(repository, 'requests')).sort(), ['.env', 'vehicles.http']);
  });

  it('a file only staged, or deleted from the work tree but still in the index, is tracked too: refused, not created', async () => {
    const staged = join(repository, 'currentToken.json');
    writeFileSync(staged, '{}');
    run('add', 'currentToken.json');
    assert.equal(await safeGitTracks(git, staged), true);
    const deleted = join(repository, 'requests', '.env');
    rmSync(deleted);
    const result = await dotenv(deleted, () => safeGitTracks(git, deleted));
    assert.ok(!result.written && result.reason === 'tracked', JSON.stringify(result));
    assert.equal(existsSync(deleted), false);
  });

  it('an untracked .env in the repository, and a file outside any repository, are written', async () => {
    run('rm', '-q', '--cached', 'requests/.env');
    const env = join(repository, 'requests', '.env');
    assert.equal(await safeGitTracks(git, env), false);
    assert.deepEqual(await dotenv(env, () => safeGitTracks(git, env)), { written: true });
    assert.match(readFileSync(env, 'utf8'), /^API_URL=https:\/\/example\.test\nFORTELLIS_TOKEN=eyJ\.unit-test-token\.sig\n/);
    const elsewhere = mkdtempSync(join(tmpdir(), 'fortellis-norepo-'));
    try {
      assert.equal(await safeGitTracks(git, join(elsewhere, '.env')), undefined);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('a file name is a path, not a pattern: "*.json" is untracked beside a tracked a.json', async () => {
    writeFileSync(join(repository, 'a.json'), '{}');
    run('add', 'a.json');
    assert.equal(await safeGitTracks(git, join(repository, 'a.json')), true);
    assert.equal(await safeGitTracks(git, join(repository, '*.json')), false);
  });

  it('a tracked .ENV counts for .env, whatever the case: on macOS and Windows they are one file, and git commits what is written to either name', async () => {
    writeFileSync(join(repository, '.ENV'), 'A=1\n');
    run('add', '.ENV');
    assert.equal(await safeGitTracks(git, join(repository, '.env')), true);
    assert.equal(await safeGitTracks(git, join(repository, 'requests', '.ENV')), true);
  });
});
