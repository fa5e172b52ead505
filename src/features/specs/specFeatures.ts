/**
 * Everything specs do in VS Code, built into its own bundle (dist/specFeatures.js) and loaded when the first spec
 * opens: code lenses on every operation (Call, Insert Snippet…, Open as .http) and diagnostics for a spec that cannot
 * be read (Copy as curl on the responses is every response view's, see ResponseRequests). The commands (specCommands.ts) and what they take from the
 * other bundles (the token, Call API's sending, the snippets) load when a code lens is first clicked.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TokenUseParts } from '../../tokenAcquirer/tokenAcquirer';
import { SPEC_LANGUAGE_IDS } from '../../core/specs/specMarker';
import type { SpecProblem } from '../../core/specs/specDocument';
import { SpecWorkerClient } from '../../core/specs/specWorkerClient';
import type { Log } from '../../platform/log';
import { SpecDocuments } from './specDocuments';
import { RESPONSE_SCHEME, SPEC_COMMANDS } from '../../platform/commandIds';
import type { SpecCommands } from './specCommands';

const DIAGNOSTICS_DELAY_MS = 400;

export class SpecFeatures implements vscode.Disposable {
  /** The spec worker is bundled beside this file (dist/specWorker.js) and started at the first spec read in full. */
  private readonly specs = new SpecDocuments(new SpecWorkerClient(join(__dirname, 'specWorker.js')));
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('fortellis-spec');
  private commands?: Promise<SpecCommands>;
  private loadedCommands?: SpecCommands;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly parts: () => Promise<TokenUseParts>,
    private readonly log: Log,
  ) {
    const selector = SPEC_LANGUAGE_IDS.map((language) => ({ language }));
    // Through the failure funnel (it comes with the parts): a failed step is shown with its fix, and Retry runs the
    // same lens again.
    const run =
      <A extends unknown[]>(id: string, what: string, action: (commands: SpecCommands, ...args: A) => Promise<void>) =>
      (...args: A): Promise<void> =>
        this.parts().then(
          ({ funnel }) =>
            funnel.run(
              `spec ${what}`,
              async () => action(await this.specCommands(), ...args),
              () => vscode.commands.executeCommand(id, ...args),
            ),
          this.log.failure('Loading the spec commands'),
        );
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider(selector, {
        provideCodeLenses: (document) => this.operationLenses(document),
        resolveCodeLens: (lens) => resolved(lens),
      }),
      vscode.commands.registerCommand(
        SPEC_COMMANDS.call,
        run(SPEC_COMMANDS.call, 'Call', (commands, uri: vscode.Uri, method: string, operationPath: string) => commands.call(uri, method, operationPath)),
      ),
      vscode.commands.registerCommand(
        SPEC_COMMANDS.insertSnippet,
        run(SPEC_COMMANDS.insertSnippet, 'Insert Snippet', (commands, uri: vscode.Uri, method: string, operationPath: string) =>
          commands.insertSnippet(uri, method, operationPath),
        ),
      ),
      vscode.commands.registerCommand(
        SPEC_COMMANDS.openHttp,
        run(SPEC_COMMANDS.openHttp, 'Open as .http', (commands, uri: vscode.Uri) => commands.openHttp(uri)),
      ),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.specs.forget(document);
        this.diagnostics.delete(document.uri);
      }),
    ];
    vscode.workspace.textDocuments.forEach((document) => this.schedule(document));
  }

  /** The commands, their bundle's dependencies and the token-use parts: loaded at the first click on a lens. */
  private specCommands(): Promise<SpecCommands> {
    const loading = (this.commands ??= Promise.all([import('./specCommands.js'), this.parts()]).then(([{ SpecCommands }, parts]) => {
      this.loadedCommands = new SpecCommands(parts, this.specs);
      return this.loadedCommands;
    }));
    // A failed load is tried again at the next click.
    loading.catch(() => (this.commands = undefined));
    return loading;
  }

  /**
   * Three lenses per operation, their commands left to resolveCodeLens: VS Code resolves only the lenses on screen, so a
   * spec with 1,000 operations does not send 3,000 commands to the workbench.
   */
  private operationLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const operations = isSpecEditor(document) ? this.specs.operations(document) : undefined;
    if (!operations) {
      return [];
    }
    return operations.flatMap((operation) => {
      const range = new vscode.Range(operation.line, 0, operation.line, 0);
      return LENS_KINDS.map((kind) => new OperationLens(range, kind, document.uri, operation.method, operation.path));
    });
  }

  /** Diagnostics a moment after the spec stops changing. */
  private schedule(document: vscode.TextDocument): void {
    if (!SPEC_LANGUAGE_IDS.includes(document.languageId) || !isSpecEditor(document)) {
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.diagnose(document).catch(this.log.failure(`Reading the spec ${document.uri.fsPath}`));
      }, DIAGNOSTICS_DELAY_MS),
    );
  }

  private async diagnose(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed || this.specs.operations(document) === undefined) {
      this.diagnostics.delete(document.uri);
      return;
    }
    const version = document.version;
    const loaded = await this.specs.load(document);
    if (document.version !== version) {
      return;
    }
    this.diagnostics.set(
      document.uri,
      loaded.problems.map((problem) => diagnostic(document, problem, loaded.ok ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error)),
    );
  }

  dispose(): void {
    this.pending.forEach((timer) => clearTimeout(timer));
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.diagnostics.dispose();
    this.loadedCommands?.dispose();
    this.specs.worker.dispose();
  }
}

/** A response view (JSON, from a Call) is never a spec: it is not read for lenses or diagnostics. */
function isSpecEditor(document: vscode.TextDocument): boolean {
  return document.uri.scheme !== RESPONSE_SCHEME;
}

const LENS_KINDS = ['call', 'insertSnippet', 'openHttp'] as const;

class OperationLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly kind: (typeof LENS_KINDS)[number],
    readonly uri: vscode.Uri,
    readonly method: string,
    readonly path: string,
  ) {
    super(range);
  }
}

function resolved(lens: vscode.CodeLens): vscode.CodeLens {
  if (!(lens instanceof OperationLens)) {
    return lens;
  }
  const target = [lens.uri, lens.method, lens.path];
  lens.command =
    lens.kind === 'call'
      ? { title: '$(play) Call', tooltip: `Call ${lens.method} ${lens.path} with your Fortellis token`, command: SPEC_COMMANDS.call, arguments: target }
      : lens.kind === 'insertSnippet'
        ? { title: 'Insert Snippet…', tooltip: 'This request as a snippet in one of nine languages', command: SPEC_COMMANDS.insertSnippet, arguments: target }
        : { title: 'Open as .http', tooltip: "All of the spec's operations in one .http file", command: SPEC_COMMANDS.openHttp, arguments: [lens.uri] };
  return lens;
}

function diagnostic(document: vscode.TextDocument, problem: SpecProblem, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const line = Math.min(problem.start.line, Math.max(0, document.lineCount - 1));
  const text = document.lineAt(line);
  const start = Math.min(problem.start.column, text.range.end.character);
  const end = start < text.range.end.character ? text.range.end.character : start;
  const result = new vscode.Diagnostic(new vscode.Range(line, start, line, end), problem.message, severity);
  result.source = 'Fortellis spec';
  return result;
}
