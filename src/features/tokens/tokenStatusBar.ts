import * as vscode from 'vscode';
import { COMMANDS } from '../../platform/commandIds';
import type { Clock, Timer } from '../../core/tokens/clock';
import { type StatusBarState, type StatusBarView, statusBarView } from '../../core/tokens/statusBarView';

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

  /** Shows the state and returns what it shows now. */
  show(state: StatusBarState): StatusBarView {
    this.state = state;
    return this.render(state);
  }

  hide(): undefined {
    this.state = undefined;
    this.timer?.cancel();
    this.item.hide();
    return undefined;
  }

  dispose(): void {
    this.timer?.cancel();
    this.item.dispose();
  }

  private render(state: StatusBarState): StatusBarView {
    this.timer?.cancel();
    const view = statusBarView(state, this.clock.now());
    this.item.text = view.text;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip);
    this.item.backgroundColor = BACKGROUNDS[view.urgency];
    this.item.command = view.action === 'getToken' ? COMMANDS.getToken : COMMANDS.tokenActions;
    this.item.accessibilityInformation = { label: view.text.replace('$(key) ', '') };
    this.item.show();
    if (view.refreshInMs !== undefined) {
      this.timer = this.clock.setTimeout(() => this.state && this.render(this.state), view.refreshInMs);
    }
    return view;
  }
}
