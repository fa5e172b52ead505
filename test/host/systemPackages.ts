import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * The Debian packages the real-VS Code host needs: Chromium to open the workbench, libkrb5-dev to build
 * code-server's kerberos module. One list, test/host/debian-packages.txt, also read by .ci/run.
 */
export function debianPackages(): string[] {
  return readFileSync(join(repoRoot, 'test', 'host', 'debian-packages.txt'), 'utf8').split(/\s+/).filter(Boolean);
}

/** Installs the missing ones with apt-get when running as root; otherwise says which command to run. */
export function ensureDebianPackages(): void {
  const missing = debianPackages().filter((name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) {
    return;
  }
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages. Install them, then run this again:\n  sudo apt-get update && sudo apt-get ${install.join(' ')}`);
  }
  console.log(`Installing Debian packages: ${missing.join(', ')} (apt-get)…`);
  for (const args of [['update', '-qq'], ['-qq', ...install]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) {
      throw new Error(`apt-get ${args.join(' ')} failed (exit code ${result.status})`);
    }
  }
}
