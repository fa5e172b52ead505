import * as vscode from 'vscode';
import { CONTEXT_KEYS } from './commandIds';
import type { Clock } from './core/clock';
import { isUsable } from './core/tokenCache';
import { type StatusBarView, statusBarView } from './core/statusBarView';
import type { Settings } from './settings';
import type { TokenStatusBar } from './statusBar';
import type { TokenService } from './tokenService';

/** What other extensions (and the integration tests) can read: the state the status bar shows. */
export interface TokenStatus {
  readonly profile: string | undefined;
  readonly expiresAt: number | undefined;
  readonly statusBarText: string;
}

/**
 * Keeps everything that follows the active profile current: the status bar, the context keys of
 * `when` clauses, and which token is kept fresh.
 */
export class ActiveProfileSync {
  private freshKey: string | undefined;
  private latest: TokenStatus = { profile: undefined, expiresAt: undefined, statusBarText: '' };

  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenService,
    private readonly statusBar: TokenStatusBar,
    private readonly clock: Clock,
  ) {}

  get status(): TokenStatus {
    return this.latest;
  }

  async refresh(): Promise<void> {
    const profiles = this.settings.profiles();
    const profile = this.settings.activeProfile();
    const environment = profile && this.tokens.environment(profile);
    const token = profile && (await this.tokens.peek(profile));
    const state = { profile, environment, token, renewal: this.settings.renewal() };
    this.statusBar.show(state);
    const view: StatusBarView = statusBarView(state, this.clock.now());
    this.latest = { profile: profile?.name, expiresAt: token?.expiresAt, statusBarText: view.text };
    await Promise.all([
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasProfile, profiles.length > 0),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasSeveralProfiles, profiles.length > 1),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasToken, isUsable(token, this.clock.now())),
    ]);
    const freshKey = profile && JSON.stringify([profile, environment]);
    if (freshKey !== this.freshKey) {
      this.freshKey = freshKey;
      this.tokens.keepFresh(profile);
    }
  }
}
