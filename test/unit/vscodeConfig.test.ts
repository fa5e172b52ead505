import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../host/paths';

/**
 * .vscode/launch.json and tasks.json name npm scripts, tasks and files; none of them is checked by VS Code until
 * someone presses F5. This checks each name against package.json and the tree: a renamed script, a moved runner or
 * a task label typo fails here.
 */
interface Task {
  label: string;
  type?: string;
  script?: string;
  command?: string;
  dependsOn?: string | string[];
}

interface LaunchConfiguration {
  name: string;
  type: string;
  request: string;
  program?: string;
  args?: string[];
  outFiles?: string[];
  preLaunchTask?: string;
}

interface VsCodeConfig {
  scripts: Record<string, string>;
  tasks: Task[];
  configurations: LaunchConfiguration[];
  /** Whether a path relative to the repository root exists. */
  exists(path: string): boolean;
}

/** JSON with comments, as VS Code reads these files (no trailing commas). */
function parseJsonc(text: string): unknown {
  const withoutComments = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_match, string: string | undefined) => string ?? '');
  return JSON.parse(withoutComments);
}

function readConfig(): VsCodeConfig {
  const read = (path: string) => parseJsonc(readFileSync(join(repoRoot, path), 'utf8'));
  return {
    scripts: (read('package.json') as { scripts: Record<string, string> }).scripts,
    tasks: (read('.vscode/tasks.json') as { tasks: Task[] }).tasks,
    configurations: (read('.vscode/launch.json') as { configurations: LaunchConfiguration[] }).configurations,
    exists: (path) => existsSync(join(repoRoot, path)),
  };
}

/**
 * A file a configuration or a script names: it exists, or it is compiled output whose source exists (out/x/y.js from
 * x/y.ts; dist/ and out/ as a whole are build outputs).
 */
function fileProblem(config: VsCodeConfig, named: string, where: string): string | undefined {
  const path = named.replace(/^\$\{workspaceFolder\}\/?/, '');
  const fixedPart = path.split(/[*{]/)[0].replace(/\/$/, '');
  if (fixedPart === 'out' || fixedPart === 'dist') {
    return undefined;
  }
  const compiledFrom = /^out\/(.+)\.js$/.exec(fixedPart)?.[1];
  const present = compiledFrom === undefined ? config.exists(fixedPart) : config.exists(`${compiledFrom}.ts`);
  return present ? undefined : `${where}: ${named} does not exist${compiledFrom ? ` (nor ${compiledFrom}.ts, its source)` : ''}`;
}

/** The scripts (`npm run x`) and files (`node x`, `--config x`) a command line names. */
function commandProblems(config: VsCodeConfig, command: string, where: string, seen = new Set<string>()): string[] {
  const problems: string[] = [];
  for (const [, script] of command.matchAll(/\bnpm run ([\w:-]+)/g)) {
    problems.push(...scriptProblems(config, script, where, seen));
  }
  for (const [, file] of command.matchAll(/(?:\bnode|--config)\s+([\w./${}-]+\.(?:m?js|json|ts))/g)) {
    problems.push(...[fileProblem(config, file, where)].filter((problem) => problem !== undefined));
  }
  return problems;
}

function scriptProblems(config: VsCodeConfig, script: string, where: string, seen: Set<string>): string[] {
  if (!(script in config.scripts)) {
    return [`${where}: npm script "${script}" is not in package.json`];
  }
  if (seen.has(script)) {
    return [];
  }
  seen.add(script);
  return commandProblems(config, config.scripts[script], `${where} → npm script "${script}"`, seen);
}

function taskProblems(config: VsCodeConfig, label: string, where: string): string[] {
  return config.tasks.some((task) => task.label === label) ? [] : [`${where}: no task labelled "${label}" in tasks.json`];
}

/** Every problem with the two files; [] when all is well. */
function problems(config: VsCodeConfig): string[] {
  const found: string[] = [];
  for (const task of config.tasks) {
    const where = `task "${task.label}"`;
    if (task.type === 'npm') {
      found.push(...scriptProblems(config, task.script ?? '(none)', where, new Set()));
    }
    if (task.command !== undefined) {
      found.push(...commandProblems(config, task.command, where));
    }
    for (const label of [task.dependsOn ?? []].flat()) {
      found.push(...taskProblems(config, label, where));
    }
  }
  for (const configuration of config.configurations) {
    const where = `launch configuration "${configuration.name}"`;
    if (configuration.preLaunchTask !== undefined) {
      found.push(...taskProblems(config, configuration.preLaunchTask, where));
    }
    const args = configuration.args ?? [];
    const files = [
      configuration.program,
      ...(configuration.outFiles ?? []),
      ...args.flatMap((arg) => /^--extension(?:Development|Tests)Path=(.+)$/.exec(arg)?.[1] ?? []),
      ...args.flatMap((arg, index) => (arg === '--config' ? [args[index + 1]] : [])),
    ];
    found.push(...files.flatMap((file) => (file === undefined ? [] : [fileProblem(config, file, where)].filter((problem) => problem !== undefined))));
  }
  return found;
}

describe('.vscode/launch.json and tasks.json', () => {
  const config = readConfig();
  const configuration = (name: string) => {
    const found = config.configurations.find((candidate) => candidate.name === name);
    assert.ok(found, `launch.json has "${name}"`);
    return found;
  };

  it('name only npm scripts, tasks and files that exist', () => {
    assert.deepEqual(problems(config), []);
  });

  it('"Run Extension" opens an Extension Development Host on this folder, in its own user data, after the watch build and the sandbox', () => {
    const run = configuration('Run Extension');
    assert.equal(run.type, 'extensionHost');
    assert.ok(run.args?.includes('--extensionDevelopmentPath=${workspaceFolder}'));
    assert.ok(
      run.args?.some((arg) => arg.startsWith('--user-data-dir=${workspaceFolder}/.vscode-test/')),
      "not the developer's own profile and secrets",
    );
    const prepare = config.tasks.find((task) => task.label === run.preLaunchTask);
    assert.deepEqual(prepare?.dependsOn, ['watch', 'sandbox', 'dev host settings']);
    const watch = config.tasks.find((task) => task.label === 'watch');
    const scripts = [watch?.dependsOn ?? []].flat().map((label) => config.tasks.find((task) => task.label === label)?.script);
    assert.deepEqual(scripts.sort(), ['watch:bundles', 'watch:tests']);
  });

  it('"Extension Tests" runs the integration suite in desktop VS Code; "Debug Unit Tests" runs the unit layer without timeouts', () => {
    assert.equal(configuration('Extension Tests').program, '${workspaceFolder}/out/test/host/runDesktopIntegrationTests.js');
    const unit = configuration('Debug Unit Tests');
    assert.equal(unit.program, '${workspaceFolder}/node_modules/mocha/bin/mocha.js');
    assert.deepEqual(unit.args, ['--config', 'test/unit/.mocharc.json', '--no-timeouts']);
    assert.equal(config.tasks.find((task) => task.label === unit.preLaunchTask)?.script, 'build:tests');
  });

  it('the check itself catches a missing script, file or task', () => {
    const scripts: Record<string, string> = { ...config.scripts, 'build:tests': 'node test/tools/gone.mjs' };
    delete scripts['watch:bundles'];
    const broken: VsCodeConfig = {
      ...config,
      scripts,
      tasks: config.tasks.filter((task) => task.label !== 'sandbox'),
      exists: (path) => path !== 'test/host/runDesktopIntegrationTests.ts' && config.exists(path),
    };
    const found = problems(broken).join('\n');
    assert.match(found, /task "watch: bundles": npm script "watch:bundles" is not in package.json/);
    assert.match(found, /task "build: tests" → npm script "build:tests": test\/tools\/gone\.mjs does not exist/);
    assert.match(found, /task "Run Extension: prepare": no task labelled "sandbox"/);
    assert.match(found, /launch configuration "Extension Tests": \$\{workspaceFolder\}\/out\/test\/host\/runDesktopIntegrationTests\.js does not exist/);
  });
});
