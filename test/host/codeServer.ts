import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureCodeServer } from './codeServerInstall';

export interface CodeServerOptions {
  userDataDir: string;
  extensionsDir: string;
  /** Merged over this process's environment; the extension host inherits it. */
  env?: Record<string, string>;
  /** Written to <userDataDir>/User/settings.json before the start. */
  userSettings?: object;
  /** Links to these open without asking "Do you want to open the external website?", e.g. a sign-in page. */
  trustedDomains?: string[];
  /** Where code-server's output goes. Default: <userDataDir>/code-server.log. */
  logFile?: string;
  /**
   * Default true. Needed to run tests through the URL's payload (extensionDevelopmentPath, extensionTestsPath);
   * it also exposes window.driver to the page, which a session for a person does not need.
   */
  smokeTestDriver?: boolean;
  /** Default false: --disable-workspace-trust (every folder trusted). true: folders start untrusted, in Restricted Mode. */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
  logFile: string;
  /** Ends code-server and every process it started. */
  stop(): Promise<void>;
}

const startTimeoutMs = 60_000;
const listeningLine = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;
/**
 * Inherited variables that would reconfigure code-server: VSCODE_IPC_HOOK_CLI (set in VS Code terminals) makes
 * it hand its arguments to that window instead of starting, PORT overrides --bind-addr, PASSWORD/GITHUB_TOKEN
 * are read as flags.
 */
const reconfiguringEnv = /^(VSCODE_|CODE_SERVER_|CS_)|^(PORT|PASSWORD|HASHED_PASSWORD|GITHUB_TOKEN|ELECTRON_RUN_AS_NODE)$/;

/** Starts code-server on a free loopback port and resolves once it answers HTTP. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const { nodeBin, codeServerEntry } = await ensureCodeServer();
  await writeUserSettings(opts.userDataDir, opts.userSettings ?? {});
  const logFile = opts.logFile ?? join(opts.userDataDir, 'code-server.log');
  const args = [
    codeServerEntry,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    opts.userDataDir,
    '--extensions-dir',
    opts.extensionsDir,
    ...(opts.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    ...(opts.trustedDomains ?? []).flatMap((domain) => ['--link-protection-trusted-domains', domain]),
  ];
  const stateDir = await makeStateDir();
  const child = spawnDetached(nodeBin, args, serverEnv(stateDir, opts.env), logFile);
  const stop = processGroupStopper(child, stateDir);
  try {
    const port = await waitForListeningPort(child, logFile);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealthy(child, baseUrl, logFile);
    return { port, baseUrl, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Installs a .vsix into extensionsDir the way a user would (`code-server --install-extension`). */
export async function installExtension(vsixPath: string, extensionsDir: string, userDataDir: string): Promise<void> {
  const { nodeBin, codeServerEntry } = await ensureCodeServer();
  const args = [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath, '--force'];
  const stateDir = await makeStateDir();
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(nodeBin, args, { env: serverEnv(stateDir) }, (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error || !output.includes('was successfully installed')) {
          reject(new Error(`Installing ${vsixPath} failed:\n${output}`));
        } else {
          resolve();
        }
      });
    });
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** The user's settings.json of a VS Code user-data directory (desktop or code-server). */
export async function writeUserSettings(userDataDir: string, settings: object): Promise<void> {
  const userDir = join(userDataDir, 'User');
  await mkdir(userDir, { recursive: true });
  await writeFile(join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * code-server's own files, removed when it stops: its config.yaml and coder-logs (else under the user's home), and
 * its TMPDIR, where the VS Code server and extensions create sockets (vscode-ipc-*.sock, vscode-git-*.sock) that a
 * killed process leaves behind. Directly under /tmp, not os.tmpdir() (long on macOS): a socket path must stay
 * under 104 bytes.
 */
function makeStateDir(): Promise<string> {
  return mkdtemp('/tmp/code-server-');
}

function serverEnv(stateDir: string, env?: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !reconfiguringEnv.test(name));
  return {
    ...Object.fromEntries(inherited),
    TMPDIR: stateDir,
    XDG_CONFIG_HOME: join(stateDir, 'config'),
    XDG_DATA_HOME: join(stateDir, 'data'),
    ...env,
  };
}

/** In its own process group, so that stopping it reaches every process it starts (extension hosts included). */
function spawnDetached(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = openSync(logFile, 'w');
  try {
    const child = spawn(command, args, { env, detached: true, stdio: ['ignore', log, log] });
    // A failed spawn also leaves child.pid undefined, which processGroupStopper reports.
    child.once('error', () => undefined);
    return child;
  } finally {
    closeSync(log);
  }
}

function processGroupStopper(child: ChildProcess, stateDir: string): () => Promise<void> {
  const group = child.pid;
  if (group === undefined) {
    rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`Could not start ${child.spawnfile}`);
  }
  const killNow = () => {
    signalGroup(group, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  };
  process.on('exit', killNow);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      process.off('exit', killNow);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        signalGroup(group, 'SIGTERM');
        await Promise.race([exited, delay(5_000)]);
      }
      // Whatever outlived code-server's own shutdown.
      signalGroup(group, 'SIGKILL');
      await waitUntil(() => !groupAlive(group), 2_000);
      await rm(stateDir, { recursive: true, force: true });
    })();
    return stopping;
  };
}

function waitForListeningPort(child: ChildProcess, logFile: string): Promise<number> {
  return pollUntil(child, logFile, 'print the port it listens on', async () => {
    const port = listeningLine.exec(await readFile(logFile, 'utf8'))?.[1];
    return port === undefined ? undefined : Number(port);
  });
}

function waitForHealthy(child: ChildProcess, baseUrl: string, logFile: string): Promise<true> {
  return pollUntil(child, logFile, `answer ${baseUrl}/healthz`, async () => {
    try {
      return (await fetch(`${baseUrl}/healthz`)).ok || undefined;
    } catch {
      return undefined;
    }
  });
}

/** Polls `probe` until it returns a value; fails early if code-server exits, with the end of its log. */
async function pollUntil<T>(child: ChildProcess, logFile: string, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it could ${what}:\n${await tail(logFile)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`code-server did not ${what} within ${startTimeoutMs / 1000} s:\n${await tail(logFile)}`);
    }
    await delay(100);
  }
}

async function tail(file: string, lines = 30): Promise<string> {
  return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await delay(50);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
