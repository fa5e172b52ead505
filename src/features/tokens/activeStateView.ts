import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../../platform/commandIds';
import type { Clock } from '../../core/tokens/clock';
import type { StatusBarState } from '../../core/tokens/statusBarView';
import { isUsable } from '../../core/tokens/token';
import type { TokenSubject } from '../../core/tokens/tokenSubject';
import type { ActiveState } from '../../core/tokens/tokenLifecycle';
import type { TokenStatusBar } from './tokenStatusBar';

/** What other extensions (and the integration tests) can read: the state the status bar shows. Never a token. */
export interface TokenStatus {
  readonly profile: string | undefined;
  readonly expiresAt: number | undefined;
  readonly statusBarText: string;
  /** The browser-signed-in user's token, when there is one. */
  readonly user: { readonly expiresAt: number; readonly statusBarText: string; readonly refreshable: boolean } | undefined;
}

/** Shows the active state: the two status-bar countdowns (the app's token and the signed-in user's) and the context keys of `when` clauses. */
export class ActiveStateView {
  private latest: TokenStatus = { profile: undefined, expiresAt: undefined, statusBarText: '', user: undefined };

  constructor(
    private readonly statusBars: { readonly app: TokenStatusBar; readonly user: TokenStatusBar },
    private readonly clock: Clock,
  ) {}

  get status(): TokenStatus {
    return this.latest;
  }

  /** `inUse`: the token the profile's requests use (Choose Token…), marked in its tooltip. */
  show(state: ActiveState, profileCount: number, inUse: TokenSubject): void {
    const { profile, environment, appToken, userToken, renewal } = state;
    const now = this.clock.now();
    const app: StatusBarState = { subject: 'app', profile, environment, token: appToken, renewal, inUse: inUse === 'app' };
    const appView = this.statusBars.app.show(app);
    const user: StatusBarState | undefined = userToken && { subject: 'user', profile, environment, token: userToken, renewal, inUse: inUse === 'user' };
    const userView = user ? this.statusBars.user.show(user) : this.statusBars.user.hide();
    this.latest = {
      profile: profile?.name,
      expiresAt: appToken?.expiresAt,
      statusBarText: appView.text,
      user: userToken && userView && { expiresAt: userToken.expiresAt, statusBarText: userView.text, refreshable: Boolean(userToken.refreshToken) },
    };
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasProfile, profileCount > 0);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasSeveralProfiles, profileCount > 1);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasToken, isUsable(appToken, now));
  }
}
