import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';
import { writeUserSettings } from './codeServer';
import { repoRoot } from './paths';
import { projectPhases, withSandbox, type IntegrationPhase, type IntegrationSuiteOptions } from './runIntegrationTests';
import { testHostVersions } from './versions';
import { countingMochaSummaries, windowTable, type WindowResult } from './windowResults';

export type DesktopSuiteOptions = Omit<IntegrationSuiteOptions, 'onContext' | 'timeoutMs'>;

interface DesktopDirs {
  userData: string;
  extensions: string;
  workspace: string;
}

/**
 * The same phases in desktop VS Code, which @vscode/test-electron downloads into .vscode-test/ (internet access
 * needed once). Phases share one user-data directory: a later one finds what an earlier one stored, as after a
 * restart. Every phase runs even when an earlier one failed, and a table of their results ends the run. Resolves to 0
 * if every phase passed, else the first failing phase's exit code.
 */
export async function runDesktopIntegrationSuite(opts: DesktopSuiteOptions): Promise<number> {
  const started = Date.now();
  const vscodeExecutablePath = await downloadVSCode();
  const tempDir = await mkdtemp(join(tmpdir(), 'fortellis-desktop-'));
  try {
    const dirs = { userData: join(tempDir, 'user-data'), extensions: join(tempDir, 'extensions'), workspace: join(tempDir, 'workspace') };
    await mkdir(dirs.workspace);
    await writeUserSettings(dirs.userData, opts.userSettings ?? {});
    const results: Array<WindowResult & { exitCode: number }> = [];
    for (const phase of opts.phases) {
      console.log(`\n▶ ${phase.name}`);
      const {
        value: outcome,
        passing,
        failing,
      } = await countingMochaSummaries(() =>
        runPhase(vscodeExecutablePath, phase, dirs, opts).then(
          (exitCode) => ({ exitCode, problem: exitCode === 0 ? undefined : `exit code ${exitCode}` }),
          (error: unknown) => ({ exitCode: 1, problem: error instanceof Error ? error.message.split('\n')[0] : String(error) }),
        ),
      );
      if (outcome.exitCode !== 0) {
        console.error(`Phase "${phase.name}" failed (${outcome.problem}); the next phases still run.`);
      }
      results.push({ name: phase.name, passed: outcome.exitCode === 0, passing, failing, problem: outcome.problem, exitCode: outcome.exitCode });
    }
    console.log(windowTable('Integration windows (desktop VS Code):', results));
    return results.find((result) => result.exitCode !== 0)?.exitCode ?? 0;
  } finally {
    await rm(tempDir, { recursive: true, force: true });
    console.log(`Desktop integration tests took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}

async function downloadVSCode(): Promise<string> {
  try {
    return await downloadAndUnzipVSCode({ version: testHostVersions.vscode, cachePath: join(repoRoot, '.vscode-test') });
  } catch (error) {
    throw new Error(
      `Could not download VS Code ${testHostVersions.vscode} (${error instanceof Error ? error.message : String(error)}). ` +
        'The desktop host needs access to update.code.visualstudio.com once; without it, run ' +
        '`npm run test:integration` (code-server, installed from the npm registry).',
    );
  }
}

async function runPhase(vscodeExecutablePath: string, phase: IntegrationPhase, dirs: DesktopDirs, opts: DesktopSuiteOptions): Promise<number> {
  try {
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: opts.extensionDevelopmentPath ?? repoRoot,
      extensionTestsPath: phase.extensionTestsPath,
      extensionTestsEnv: opts.env,
      launchArgs: [dirs.workspace, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--disable-workspace-trust'],
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) {
      return error.code ?? 1;
    }
    throw error;
  }
}

async function main(): Promise<void> {
  // Desktop VS Code opens sign-in pages in the system browser, where no driver plays the user.
  const phases = projectPhases.filter((phase) => !phase.drivesBrowser);
  process.exitCode = await withSandbox((suite) => runDesktopIntegrationSuite({ phases, ...suite }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
