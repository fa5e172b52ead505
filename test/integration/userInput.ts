import * as vscode from 'vscode';

/** A quick pick's label only if that pick comes (e.g. recent URLs, offered once there are some); else skipped. */
export type Answer = string | undefined | { pickIfAsked: string };

/**
 * Plays the user's part at VS Code's input boxes and quick picks: each prompt takes the next answer.
 * The extension's own code runs unchanged; only the person typing is replaced. The end-to-end tests
 * type into the real input boxes instead.
 */
export class ScriptedUser implements vscode.Disposable {
  readonly prompts: Array<{
    kind: 'input' | 'pick' | 'save' | 'open';
    title?: string;
    prompt?: string;
    password?: boolean;
    items?: string[];
    warning?: string;
  }> = [];
  readonly messages: string[] = [];
  private readonly originals = {
    showInputBox: vscode.window.showInputBox,
    showQuickPick: vscode.window.showQuickPick,
    showInformationMessage: vscode.window.showInformationMessage,
    showErrorMessage: vscode.window.showErrorMessage,
    showWarningMessage: vscode.window.showWarningMessage,
    showSaveDialog: vscode.window.showSaveDialog,
    showOpenDialog: vscode.window.showOpenDialog,
  };

  /**
   * Answers: a string for an input box (validated as the real box would: an error refuses it, a warning is recorded),
   * a label for a quick pick, a file path for a save or an open dialog, undefined to cancel.
   */
  constructor(
    private readonly answers: Array<Answer>,
    private readonly messageChoice?: string,
  ) {
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
      const prompt: (typeof this.prompts)[number] = { kind: 'input', title: options?.title, prompt: options?.prompt, password: options?.password };
      this.prompts.push(prompt);
      this.skipPicksNotAsked();
      const answer = this.next(options?.title ?? options?.prompt);
      if (typeof answer === 'object') {
        throw new Error(`"${options?.title}" is an input box, not a quick pick`);
      }
      if (answer !== undefined) {
        const problem = await options?.validateInput?.(answer);
        if (problem && typeof problem !== 'string' && problem.severity !== vscode.InputBoxValidationSeverity.Error) {
          prompt.warning = problem.message;
        } else if (problem) {
          throw new Error(`The input box "${options?.title}" rejected "${answer}": ${typeof problem === 'string' ? problem : problem.message}`);
        }
      }
      return answer;
    }) as typeof vscode.window.showInputBox;
    window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const offered = await items;
      this.prompts.push({ kind: 'pick', title: options?.title, items: offered.map((item) => item.label) });
      const answer = this.next(options?.title);
      const label = typeof answer === 'object' ? answer.pickIfAsked : answer;
      if (label === undefined) {
        return undefined;
      }
      const item = offered.find((candidate) => candidate.label.includes(label));
      if (!item) {
        throw new Error(`No item "${label}" in the quick pick "${options?.title}"`);
      }
      return options?.canPickMany ? [item] : item;
    }) as unknown as typeof vscode.window.showQuickPick;
    const record = (async (message: string) => {
      this.messages.push(message);
      return this.messageChoice;
    }) as typeof vscode.window.showInformationMessage;
    window.showSaveDialog = (async (options?: vscode.SaveDialogOptions) => {
      this.prompts.push({ kind: 'save', title: options?.title });
      const path = this.next(options?.title);
      if (typeof path === 'object') {
        throw new Error(`"${options?.title}" is a save dialog, not a quick pick`);
      }
      return path === undefined ? undefined : vscode.Uri.file(path);
    }) as typeof vscode.window.showSaveDialog;
    window.showOpenDialog = (async (options?: vscode.OpenDialogOptions) => {
      this.prompts.push({ kind: 'open', title: options?.title });
      const path = this.next(options?.title);
      if (typeof path === 'object') {
        throw new Error(`"${options?.title}" is an open dialog, not a quick pick`);
      }
      return path === undefined ? undefined : [vscode.Uri.file(path)];
    }) as typeof vscode.window.showOpenDialog;
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

  /** An input box came where an optional quick pick could have been: that pick was not asked. */
  private skipPicksNotAsked(): void {
    while (typeof this.answers[0] === 'object') {
      this.answers.shift();
    }
  }

  private next(what: string | undefined): Answer {
    if (this.answers.length === 0) {
      throw new Error(`Unexpected prompt: ${what ?? '(untitled)'}`);
    }
    return this.answers.shift();
  }
}
