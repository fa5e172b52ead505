import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { testReportMarker } from '../host/testReport';

const noTestRan: Mocha.Stats = { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };

/** The extension host calls this (extensionTestsPath): runs every *.test.js file next to this one. */
export function run(): Promise<void> {
  return runTestFolder(__dirname);
}

/**
 * Runs the *.test.js files of `folder`, not of its subfolders (a later phase, such as after a reload, has its own
 * folder and index). Rejects if a test fails, and if no test ran at all.
 */
export async function runTestFolder(folder: string): Promise<void> {
  const restoreReporterOutput = markReporterOutput();
  try {
    const files = testFiles(folder);
    const stats = await runMocha(files).catch((error: unknown) => {
      report(error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    });
    const problem =
      stats.failures > 0
        ? `${stats.failures} ${stats.failures === 1 ? 'test' : 'tests'} failed`
        : stats.passes === 0
          ? `No test ran (${files.length} *.test.js files in ${folder})`
          : undefined;
    if (problem) {
      report(problem);
      throw new Error(problem);
    }
  } finally {
    restoreReporterOutput();
  }
}

function testFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(folder, name));
}

function runMocha(files: string[]): Promise<Mocha.Stats> {
  return new Promise((resolve, reject) => {
    try {
      // FORTELLIS_INTEGRATION_GREP runs only the tests whose title matches, as mocha's --grep does.
      const mocha = new Mocha({
        ui: 'bdd',
        color: false,
        timeout: 60_000,
        reporter: 'spec',
        forbidOnly: Boolean(process.env.CI),
        grep: process.env.FORTELLIS_INTEGRATION_GREP,
      });
      files.forEach((file) => mocha.addFile(file));
      const runner = mocha.run(() => resolve(runner.stats ?? noTestRan));
    } catch (error) {
      // A test file that throws while loading.
      reject(error);
    }
  });
}

function report(text: string): void {
  Mocha.reporters.Base.consoleLog(text);
}

/**
 * In the web host, marks every line the reporter logs, for the runner to pick it out of the page's console (see
 * testReport.ts). The desktop host prints the extension host's console as it is.
 */
function markReporterOutput(): () => void {
  const base = Mocha.reporters.Base;
  const original = base.consoleLog;
  if (vscode.env.uiKind === vscode.UIKind.Web) {
    base.consoleLog = (...data: unknown[]) => original(`${testReportMarker}${format(...data)}`);
  }
  return () => {
    base.consoleLog = original;
  };
}
