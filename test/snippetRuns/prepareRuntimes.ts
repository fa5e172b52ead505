import { spawnSync } from 'node:child_process';
import { debianPackages, ensureDebianPackages } from '../host/systemPackages';
import { ensurePowerShellParser } from './buildPowerShellParser';

/**
 * `npm run test:snippets` runs this before its tests: installs the snippet runtimes (the Debian packages of
 * test/snippetRuns/debian-packages.txt, with apt-get when running as root), builds tree-sitter if its prebuilt binary
 * does not load, then checks each command a snippet run uses. Exits non-zero, naming what is missing and how to get
 * it, instead of letting the tests fail one runtime at a time.
 */
const RUNTIMES: ReadonlyArray<{ language: string; command: string; args: string[]; from: string }> = [
  { language: 'curl', command: 'curl', args: ['--version'], from: 'Debian package curl' },
  { language: 'Python', command: '/usr/bin/python3', args: ['-c', 'import requests'], from: 'Debian package python3-requests' },
  { language: 'Java', command: 'java', args: ['-version'], from: 'Debian package openjdk-17-jdk-headless' },
  { language: 'Go', command: 'go', args: ['version'], from: 'Debian package golang-go' },
  { language: 'C#', command: 'mcs', args: ['--version'], from: 'Debian package mono-mcs' },
  { language: 'C#', command: 'mono', args: ['--version'], from: 'Debian packages mono-runtime, libmono-system-net-http4.0-cil' },
  {
    language: 'PowerShell (parse)',
    command: process.execPath,
    // As snippetRunner loads them: the grammar is an ES module.
    args: ['-e', "require('tree-sitter'); import('tree-sitter-powershell/bindings/node/index.js').catch(() => process.exit(1))"],
    from: 'npm packages tree-sitter and tree-sitter-powershell, tree-sitter built with g++ and make',
  },
];

function main(): void {
  const problems: string[] = [];
  try {
    ensureDebianPackages(['snippets']);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  try {
    ensurePowerShellParser();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const missing = RUNTIMES.filter(({ command, args }) => spawnSync(command, args, { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) {
    problems.push(
      ['These snippet runtimes do not work:', ...missing.map(({ language, command, from }) => `  ${language}: \`${command}\` (from the ${from})`)].join('\n'),
    );
  }
  if (problems.length > 0) {
    console.error(
      [
        'The snippets layer cannot run every language here.',
        ...problems,
        `It needs the Debian packages ${debianPackages('snippets').join(', ')} (installed by this step when run as root).`,
      ].join('\n'),
    );
    process.exitCode = 1;
    return;
  }
  console.log(`Snippet runtimes ready: ${[...new Set(RUNTIMES.map(({ language }) => language))].join(', ')}, plus Node and httpyac.`);
}

main();
