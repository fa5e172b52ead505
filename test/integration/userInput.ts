import * as vscode from 'vscode';

/**
 * Plays the user's part at VS Code's input boxes and quick picks: each prompt takes the next answer.
 * The extension's own code runs unchanged; only the person typing is replaced. The end-to-end tests
 * type into the real input boxes instead.
 */
export class ScriptedUser implements vscode.Disposable {
  readonly prompts: Array<{ kind: 'input' | 'pick'; title?: string; prompt?: string; password?: boolean; items?: string[] }> = [];
  readonly messages: string[] = [];
  private readonly originals = {
    showInputBox: vscode.window.showInputBox,
    showQuickPick: vscode.window.showQuickPick,
    showInformationMessage: vscode.window.showInformationMessage,
    showErrorMessage: vscode.window.showErrorMessage,
    showWarningMessage: vscode.window.showWarningMessage,
  };

  /** Answers: a string for an input box (validated as the real box would), a label for a quick pick, undefined to cancel. */
  constructor(private readonly answers: Array<string | undefined>, private readonly messageChoice?: string) {
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
      this.prompts.push({ kind: 'input', title: options?.title, prompt: options?.prompt, password: options?.password });
      const answer = this.next(options?.title ?? options?.prompt);
      if (answer !== undefined) {
        const problem = await options?.validateInput?.(answer);
        if (problem) {
          throw new Error(`The input box "${options?.title}" rejected "${answer}": ${typeof problem === 'string' ? problem : problem.message}`);
        }
      }
      return answer;
    }) as typeof vscode.window.showInputBox;
    window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const offered = await items;
      this.prompts.push({ kind: 'pick', title: options?.title, items: offered.map((item) => item.label) });
      const label = this.next(options?.title);
      if (label === undefined) {
        return undefined;
      }
      const item = offered.find((candidate) => candidate.label.includes(label));
      if (!item) {
        throw new Error(`No item "${label}" in the quick pick "${options?.title}"`);
      }
      return item;
    }) as unknown as typeof vscode.window.showQuickPick;
    const record = (async (message: string) => {
      this.messages.push(message);
      return this.messageChoice;
    }) as typeof vscode.window.showInformationMessage;
    window.showInformationMessage = record;
    window.showErrorMessage = record;
    window.showWarningMessage = record;
  }

  get unanswered(): number {
    return this.answers.length;
  }

  dispose(): void {
    Object.assign(vscode.window, this.originals);
  }

  private next(what: string | undefined): string | undefined {
    if (this.answers.length === 0) {
      throw new Error(`Unexpected prompt: ${what ?? '(untitled)'}`);
    }
    return this.answers.shift();
  }
}
