import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * Debian package lists, one package per line, also read by .ci/run:
 * - host: what the real-VS Code host needs (Chromium to open the workbench, libkrb5-dev to build code-server's
 *   kerberos module, git for the token-file tests);
 * - snippets: the runtimes the request-snippet tests run snippets with.
 */
const LISTS = {
  host: join(repoRoot, 'test', 'host', 'debian-packages.txt'),
  snippets: join(repoRoot, 'test', 'snippetRuns', 'debian-packages.txt'),
} as const;

export function debianPackages(list: keyof typeof LISTS): string[] {
  return readFileSync(LISTS[list], 'utf8').split(/\s+/).filter(Boolean);
}

/** Installs the missing ones with apt-get when running as root; otherwise says which command to run. */
export function ensureDebianPackages(lists: ReadonlyArray<keyof typeof LISTS>): void {
  const missing = lists.flatMap(debianPackages).filter((name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) {
    return;
  }
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages. Install them, then run this again:\n  sudo apt-get update && sudo apt-get ${install.join(' ')}`);
  }
  console.log(`Installing Debian packages: ${missing.join(', ')} (apt-get)…`);
  for (const args of [
    ['update', '-qq'],
    ['-qq', ...install],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      throw new Error(`apt-get ${args.join(' ')} failed (exit code ${result.status})`);
    }
  }
}

// `npm test` runs this first: everything the suites need, on a fresh Debian machine.
if (require.main === module) {
  try {
    ensureDebianPackages(['host', 'snippets']);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
