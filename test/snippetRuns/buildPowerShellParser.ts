import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * PowerShell snippets are checked with tree-sitter's PowerShell grammar (PowerShell itself is not in Debian). The
 * prebuilt tree-sitter binary on npm needs a newer libstdc++ than Debian 12 has, so when it does not load, this builds
 * it from source once (about 20 s; g++ and make are in test/snippetRuns/debian-packages.txt), with the headers of the
 * Node that runs this when that Node ships them, so nothing is downloaded. `npm test` and `npm run test:snippets`
 * run it first.
 */
function treeSitterLoads(): boolean {
  return spawnSync(process.execPath, ['-e', "require('tree-sitter')"], { stdio: 'ignore' }).status === 0;
}

function build(): void {
  const packageDir = dirname(require.resolve('tree-sitter/package.json'));
  const nodeDir = resolve(process.execPath, '..', '..');
  const headers = existsSync(join(nodeDir, 'include', 'node', 'node.h')) ? [`--nodedir=${nodeDir}`] : [];
  console.log(`Building tree-sitter from source for the PowerShell snippet check (${packageDir})…`);
  const result = spawnSync(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', ...headers], { cwd: packageDir, stdio: 'inherit' });
  if (result.status !== 0 || !treeSitterLoads()) {
    throw new Error('tree-sitter could not be built: the PowerShell snippets cannot be checked. See the node-gyp output above.');
  }
}

/** Makes tree-sitter loadable, building it when the prebuilt binary does not load; throws when it cannot. */
export function ensurePowerShellParser(): void {
  if (!treeSitterLoads()) {
    build();
  }
}

if (require.main === module) {
  try {
    ensurePowerShellParser();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
