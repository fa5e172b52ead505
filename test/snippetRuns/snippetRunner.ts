/**
 * Runs a request snippet as a user would (bash, python3, node, java, go, mcs + mono, httpyac), in a fresh temporary
 * directory. Free of VS Code: unit tests and the extension host's integration tests both use it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { transform } from 'esbuild';
import * as ts from 'typescript';
import { ENVIRONMENT_VARIABLES } from '../../src/core/tokenExport/environmentVariables';
import type { SnippetLanguageId } from '../../src/core/snippets/renderSnippet';

/**
 * run: compiled where the language needs it and run (a compile error is a failed run); syntax-check: only parsed, as
 * nothing here can run the language; unavailable: neither (stderr says why).
 */
export type SnippetRunKind = 'run' | 'syntax-check' | 'unavailable';

export interface SnippetRun {
  readonly ran: SnippetRunKind;
  /** null when the program was stopped at the time limit, or never started. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What checked or ran it, e.g. "python3 (Debian python3-requests)". */
  readonly how: string;
}

export interface SnippetRunOptions {
  /** For all of a run's steps together; default 120 s. */
  readonly timeoutMs?: number;
}

interface Step {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The command was not found. */
  readonly missing: boolean;
}

interface Workspace {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly deadline: number;
}

type Runner = (workspace: Workspace, source: string) => Promise<SnippetRun>;

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * A Request-Id as every snippet language makes it when it runs (see test/unit/requestSnippets.test.ts): a version 4
 * UUID. Upper-case hex is allowed: macOS's uuidgen writes it.
 */
export const REQUEST_ID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Writes `source` into a fresh temporary directory and runs it with `env` on top of this process's environment, less
 * any FORTELLIS_* variables of its own (so a run without a token has none). The directory is removed afterwards.
 */
export async function runSnippet(
  language: SnippetLanguageId,
  source: string,
  env: Record<string, string>,
  options: SnippetRunOptions = {},
): Promise<SnippetRun> {
  const dir = await mkdtemp(path.join(tmpdir(), `fortellis-snippet-${language}-`));
  try {
    const inherited: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.values(ENVIRONMENT_VARIABLES)) {
      delete inherited[name];
    }
    // Requests go to loopback test servers, never through a proxy the machine has.
    const noProxy = ['127.0.0.1', 'localhost', inherited.NO_PROXY ?? inherited.no_proxy].filter(Boolean).join(',');
    const workspace = {
      dir,
      env: { ...inherited, NO_PROXY: noProxy, no_proxy: noProxy, ...env },
      deadline: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    };
    return await RUNNERS[language](workspace, source);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const RUNNERS: Readonly<Record<SnippetLanguageId, Runner>> = {
  curl: async (workspace, source) => {
    await writeFile(path.join(workspace.dir, 'request.sh'), source);
    return ran('bash + curl (Debian curl)', await execute(workspace, 'bash', ['request.sh']));
  },
  python: async (workspace, source) => {
    await writeFile(path.join(workspace.dir, 'request.py'), source);
    // Debian's python3 has requests; a python3 earlier on PATH (pyenv) may not.
    return ran('/usr/bin/python3 (Debian python3-requests)', await execute(workspace, '/usr/bin/python3', ['request.py']));
  },
  javascript: async (workspace, source) => {
    await writeFile(path.join(workspace.dir, 'request.mjs'), source);
    return ran('node (global fetch), as .mjs', await execute(workspace, 'node', ['request.mjs']));
  },
  typescript: async (workspace, source) => {
    const how = `tsc ${ts.version} --strict, then node (types stripped by esbuild)`;
    const file = path.join(workspace.dir, 'request.mts');
    await writeFile(file, source);
    const errors = typeErrors(file);
    if (errors) {
      return { ran: 'run', exitCode: 2, stdout: '', stderr: errors, how };
    }
    const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
    await writeFile(path.join(workspace.dir, 'request.mjs'), code);
    return ran(how, await execute(workspace, 'node', ['request.mjs']));
  },
  java: async (workspace, source) => {
    await writeFile(path.join(workspace.dir, 'FortellisRequest.java'), source);
    return ran('java single-file launch (Debian openjdk-17-jdk-headless)', await execute(workspace, 'java', ['FortellisRequest.java']));
  },
  go: async (workspace, source) => {
    await writeFile(path.join(workspace.dir, 'main.go'), source);
    // Outside any module, with no GOFLAGS of the machine's (-mod=vendor would fail).
    const env = { ...workspace.env, GOCACHE: path.join(workspace.dir, 'gocache'), GOPATH: path.join(workspace.dir, 'gopath'), GOFLAGS: '' };
    return ran('go run (Debian golang-go)', await execute({ ...workspace, env }, 'go', ['run', 'main.go']));
  },
  csharp: runCSharp,
  http: async (workspace, source) => {
    await writeFile(path.join(workspace.dir, 'request.http'), source);
    // As the extension keeps it for a .http file: the token in the .env beside it, and none in the environment of the
    // tool that sends it (VS Code's own process has none either).
    const { [ENVIRONMENT_VARIABLES.token]: token, ...env } = workspace.env;
    if (token !== undefined) {
      await writeFile(path.join(workspace.dir, '.env'), `${ENVIRONMENT_VARIABLES.token}=${token}\n`, { mode: 0o600 });
    }
    const httpyac = require.resolve('httpyac/bin/httpyac.js');
    return ran(
      'httpyac CLI (send --all), the token in .env beside the file, none in its environment',
      await execute({ ...workspace, env }, 'node', [httpyac, 'send', 'request.http', '--all', '--output', 'response', '--no-color']),
    );
  },
  powershell: checkPowerShellSyntax,
};

/**
 * Mono's mcs cannot start an async Main: the snippet is compiled as written into a library, and a small harness
 * waits for its Main. The harness then ends the process with Environment.Exit (1 after an exception, printed as Mono
 * prints an unhandled one): Mono 6.8's own shutdown after HttpClient sometimes never ends (2 of 120 runs, 6 at once,
 * stopped at the time limit after printing all their output), which .NET, where users run the snippet, does not do.
 */
async function runCSharp(workspace: Workspace, source: string): Promise<SnippetRun> {
  const how = 'mcs + mono, async Main through a harness (Debian mono-mcs, mono-runtime)';
  const className = /\bclass\s+(\w+)/.exec(source)?.[1];
  if (!className) {
    return { ran: 'run', exitCode: 2, stdout: '', stderr: 'No class in the snippet.', how };
  }
  await writeFile(path.join(workspace.dir, 'Request.cs'), source);
  await writeFile(
    path.join(workspace.dir, 'Harness.cs'),
    [
      'public static class Harness {',
      '  public static void Main() {',
      '    var code = 0;',
      `    try { ${className}.Main().GetAwaiter().GetResult(); }`,
      '    catch (System.Exception e) { System.Console.Error.WriteLine("Unhandled Exception:\\n" + e); code = 1; }',
      '    System.Console.Out.Flush();',
      '    System.Console.Error.Flush();',
      '    System.Environment.Exit(code);',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  for (const args of [
    ['-target:library', '-r:System.Net.Http.dll', '-out:Request.dll', 'Request.cs'],
    ['-r:Request.dll', '-out:Harness.exe', 'Harness.cs'],
  ]) {
    const compiled = await execute(workspace, 'mcs', args);
    if (compiled.missing || compiled.exitCode !== 0) {
      return ran(how, compiled);
    }
  }
  return ran(how, await execute(workspace, 'mono', ['Harness.exe']));
}

/** There is no PowerShell on Debian: the snippet is parsed with tree-sitter's PowerShell grammar instead. */
async function checkPowerShellSyntax(_workspace: Workspace, source: string): Promise<SnippetRun> {
  const how = 'tree-sitter-powershell parse (no PowerShell runtime on Debian)';
  let parser: import('tree-sitter');
  try {
    const [{ default: Parser }, { default: grammar }] = await Promise.all([import('tree-sitter'), import('tree-sitter-powershell/bindings/node/index.js')]);
    parser = new Parser();
    parser.setLanguage(grammar as import('tree-sitter').Language);
  } catch (error) {
    return { ran: 'unavailable', exitCode: null, stdout: '', stderr: `tree-sitter-powershell could not be loaded: ${String(error)}`, how };
  }
  const problems: string[] = [];
  const visit = (node: import('tree-sitter').SyntaxNode): void => {
    if (node.isError || node.isMissing) {
      problems.push(
        `${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${node.isMissing ? `missing ${node.type}` : `cannot parse ${JSON.stringify(node.text.slice(0, 60))}`}`,
      );
    }
    node.children.forEach(visit);
  };
  visit(parser.parse(source).rootNode);
  return { ran: 'syntax-check', exitCode: problems.length === 0 ? 0 : 1, stdout: '', stderr: problems.join('\n'), how };
}

/** The type errors of a TypeScript file as a Node.js ES module (nodenext, ES2022, Node's types, --strict); '' if none. */
function typeErrors(file: string): string {
  const nodeTypes = path.dirname(path.dirname(require.resolve('@types/node/package.json')));
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    typeRoots: [nodeTypes],
    skipLibCheck: true,
  });
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => path.dirname(file), getNewLine: () => '\n' };
  return ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host);
}

function ran(how: string, step: Step): SnippetRun {
  return step.missing
    ? { ran: 'unavailable', exitCode: null, stdout: step.stdout, stderr: step.stderr, how }
    : { ran: 'run', exitCode: step.exitCode, stdout: step.stdout, stderr: step.stderr, how };
}

/** Runs a command in the workspace; at the deadline its whole process group is killed. */
function execute(workspace: Workspace, command: string, args: string[]): Promise<Step> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: workspace.dir, env: workspace.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          // The group has ended already.
        }
      },
      Math.max(0, workspace.deadline - Date.now()),
    );
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ exitCode: null, stdout: '', stderr: `${command}: ${error.message}`, missing: error.code === 'ENOENT' });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const limit = timedOut ? `\nStopped after the time limit (${command}).` : '';
      resolve({
        exitCode: timedOut ? null : code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + limit,
        missing: false,
      });
    });
  });
}
