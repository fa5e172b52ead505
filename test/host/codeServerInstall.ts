import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, relative } from 'node:path';
import { repoRoot } from './paths';
import { testHostVersions as versions } from './versions';
import { ensureDebianPackages } from './systemPackages';

export interface CodeServerInstall {
  /** The Node that code-server, and the extension host it starts, run on (code-server requires Node 24). */
  nodeBin: string;
  /** code-server's CLI, run as `nodeBin codeServerEntry …`. */
  codeServerEntry: string;
}

const cacheDir = join(repoRoot, '.vscode-test', `code-server-${versions.codeServer}`);
const nodeDir = join(cacheDir, 'node');
const serverDir = join(cacheDir, 'server');
const installLog = join(cacheDir, 'install.log');
/** Written last: without it (or with other versions in it) the folder holds a broken or stale install, redone. */
const markerFile = join(cacheDir, 'install-complete.json');
const codeServerDir = join(serverDir, 'node_modules', 'code-server');
/** Built by code-server's install script: proves the script ran, which npm skips unless allowScripts lists it. */
const builtNativeModule = join(codeServerDir, 'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node');

/** The npm package holding a Node 24 binary (bin/node) and its headers (include/node) for this machine. */
function nodePackage(): { name: string; dir: string } {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new Error(`code-server does not run on ${process.platform}: use npm run test:integration:desktop`);
  }
  const name = `node-${process.platform}-${process.arch}`;
  return { name, dir: join(nodeDir, 'node_modules', name) };
}

function installPaths(): CodeServerInstall {
  return {
    nodeBin: join(nodePackage().dir, 'bin', 'node'),
    codeServerEntry: join(codeServerDir, 'out', 'node', 'entry.js'),
  };
}

let pending: Promise<CodeServerInstall> | undefined;

/** Installs Node 24 and code-server into .vscode-test/ on first use; later calls reuse that install. */
export function ensureCodeServer(): Promise<CodeServerInstall> {
  pending ??= installIfMissing().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function installIfMissing(): Promise<CodeServerInstall> {
  // Chromium opens the workbench; libkrb5-dev builds a native module of code-server's.
  ensureDebianPackages(['host']);
  const install = installPaths();
  if (await isInstalled()) {
    return install;
  }
  const started = Date.now();
  console.log(`Installing code-server ${versions.codeServer} and Node ${versions.node} into ` + `${relative(repoRoot, cacheDir)} (first run only, ~2 min)…`);
  await rm(cacheDir, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  await npmInstall(nodeDir, { dependencies: { [nodePackage().name]: versions.node } }, npmEnv());
  await npmInstall(
    serverDir,
    { dependencies: { 'code-server': versions.codeServer }, allowScripts: { 'code-server': true, argon2: true } },
    node24BuildEnv(install.nodeBin),
  );
  if (!existsSync(builtNativeModule)) {
    throw new Error(`code-server's install script did not build its native modules: see ${installLog}`);
  }
  await writeFile(markerFile, JSON.stringify(versions));
  console.log(`Installed code-server in ${Math.round((Date.now() - started) / 1000)} s.`);
  return install;
}

async function isInstalled(): Promise<boolean> {
  try {
    return (await readFile(markerFile, 'utf8')) === JSON.stringify(versions);
  } catch {
    return false;
  }
}

/** Native modules must be built with Node 24 (`npm` then runs on it too) against its own headers. */
function node24BuildEnv(nodeBin: string): NodeJS.ProcessEnv {
  return {
    ...npmEnv(),
    PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodePackage().dir,
  };
}

/**
 * This process's environment without what an enclosing `npm run` set for its script: a nested npm would take
 * that run's settings for its own, e.g. npm_config_user_agent (naming Node 20), which code-server's install
 * script reads to check the Node version.
 */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
}

async function npmInstall(dir: string, manifest: object, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, ...manifest }, null, 2));
  const log = openSync(installLog, 'a');
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const npm = spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env, stdio: ['ignore', log, log] });
      npm.once('error', reject);
      npm.once('exit', resolve);
    });
    if (exitCode !== 0) {
      throw new Error(`npm install in ${dir} failed (exit code ${exitCode}). End of ${installLog}:\n${await logTail()}`);
    }
  } finally {
    closeSync(log);
  }
}

async function logTail(lines = 40): Promise<string> {
  return (await readFile(installLog, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
}
