import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../commandIds';
import type { Clock } from '../core/tokens/clock';
import { isUsable } from '../core/tokens/tokenCache';
import { type StatusBarState, statusBarView } from '../core/tokens/statusBarView';
import type { Settings } from '../settings';
import type { TokenStatusBar } from './tokenStatusBar';
import type { TokenService } from './tokenService';

/** What other extensions (and the integration tests) can read: the state the status bar shows. Never a token. */
export interface TokenStatus {
  readonly profile: string | undefined;
  readonly expiresAt: number | undefined;
  readonly statusBarText: string;
  /** The browser-signed-in user's token, when there is one. */
  readonly user: { readonly expiresAt: number; readonly statusBarText: string; readonly refreshable: boolean } | undefined;
}

/**
 * Keeps everything that follows the active profile current: the status-bar countdowns (the app's token and the
 * signed-in user's), the context keys of `when` clauses, and which tokens are kept fresh.
 */
export class ActiveProfileSync {
  private freshKey: string | undefined;
  private latest: TokenStatus = { profile: undefined, expiresAt: undefined, statusBarText: '', user: undefined };

  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenService,
    private readonly statusBars: { readonly app: TokenStatusBar; readonly user: TokenStatusBar },
    private readonly clock: Clock,
  ) {}

  get status(): TokenStatus {
    return this.latest;
  }

  async refresh(): Promise<void> {
    const profiles = this.settings.profiles();
    const profile = this.settings.activeProfile();
    const environment = profile && this.tokens.environment(profile);
    const [token, userToken] = profile ? await Promise.all([this.tokens.peek(profile), this.tokens.userToken(profile)]) : [];
    const renewal = this.settings.renewal();
    const app: StatusBarState = { subject: 'app', profile, environment, token, renewal };
    this.statusBars.app.show(app);
    const user: StatusBarState | undefined = userToken && { subject: 'user', profile, environment, token: userToken, renewal };
    if (user) {
      this.statusBars.user.show(user);
    } else {
      this.statusBars.user.hide();
    }
    const now = this.clock.now();
    this.latest = {
      profile: profile?.name,
      expiresAt: token?.expiresAt,
      statusBarText: statusBarView(app, now).text,
      user: user && userToken && { expiresAt: userToken.expiresAt, statusBarText: statusBarView(user, now).text, refreshable: Boolean(userToken.refreshToken) },
    };
    await Promise.all([
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasProfile, profiles.length > 0),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasSeveralProfiles, profiles.length > 1),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasToken, isUsable(token, now)),
    ]);
    const freshKey = profile && JSON.stringify([profile, environment, Boolean(userToken?.refreshToken)]);
    if (freshKey !== this.freshKey) {
      this.freshKey = freshKey;
      await this.tokens.keepFresh(profile);
    }
  }
}
