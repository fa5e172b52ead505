import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { Clock, Timer } from '../core/tokens/clock';
import { type StatusBarState, statusBarView } from '../core/tokens/statusBarView';

const BACKGROUNDS = {
  none: undefined,
  ok: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  expired: new vscode.ThemeColor('statusBarItem.errorBackground'),
} as const;

/** The countdown in the status bar. It wakes only when what it shows changes. */
export class TokenStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: Timer | undefined;
  private state: StatusBarState | undefined;

  constructor(
    private readonly clock: Clock,
    subject: StatusBarState['subject'],
  ) {
    this.item = vscode.window.createStatusBarItem(`fortellis.${subject}Token`, vscode.StatusBarAlignment.Left, subject === 'app' ? 100 : 99);
    this.item.name = subject === 'app' ? 'Fortellis Token' : 'Fortellis User Token';
  }

  show(state: StatusBarState): void {
    this.state = state;
    this.render();
  }

  hide(): void {
    this.state = undefined;
    this.timer?.cancel();
    this.item.hide();
  }

  dispose(): void {
    this.timer?.cancel();
    this.item.dispose();
  }

  private render(): void {
    this.timer?.cancel();
    if (!this.state) {
      return;
    }
    const view = statusBarView(this.state, this.clock.now());
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip);
    this.item.backgroundColor = BACKGROUNDS[view.urgency];
    this.item.command = view.action === 'getToken' ? COMMANDS.getToken : COMMANDS.tokenActions;
    this.item.accessibilityInformation = { label: view.text.replace('$(key) ', '') };
    this.item.show();
    if (view.refreshInMs !== undefined) {
      this.timer = this.clock.setTimeout(() => this.render(), view.refreshInMs);
    }
  }
}
