import { ProfileFailure } from '../core/failures';
import type { Profile } from '../core/profiles/profiles';
import type { IssuedToken } from '../core/tokens/token';
import { MissingSecretError } from '../core/tokens/tokenErrors';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';
import * as vscode from 'vscode';
import type { Redactor } from '../core/text/redaction';
import type { FailureFunnel } from '../platform/failureFunnel';
import { COMMANDS } from '../platform/commandIds';
import type { Log } from '../platform/log';
import type { RequestHistoryStore } from '../platform/requests/requestHistoryStore';
import type { ResponseRequests } from '../platform/requests/responseRequests';
import type { TokenChoice } from '../platform/tokenChoice';
import type { Settings } from '../platform/settings/settings';
import type { CredentialEntry } from './credentialEntry';

/** The active profile and a usable app token for it. */
export type AcquiredToken = readonly [Profile, IssuedToken];

/** TokenAcquirer.acquire, for the features that put the token to use. */
export type AcquireToken = () => Promise<AcquiredToken | undefined>;

/** What a feature that puts the token to use is given. */
export interface TokenUseParts {
  acquire: AcquireToken;
  tokens: TokenLifecycle;
  /** Which token each profile's requests use. */
  choice: TokenChoice;
  settings: Settings;
  redactor: Redactor;
  log: Log;
  /** Every failure of a command reaches the user through it. */
  funnel: FailureFunnel;
  /** Where recent request URLs are kept (global state: no secrets). */
  state: vscode.Memento;
  /** The request behind each response view, for Copy as curl. */
  responses: ResponseRequests;
  /** The request history (and its kept responses): one for Call API, a spec's Call, Send and Send Again. */
  history: RequestHistoryStore;
}

/**
 * The one way a feature gets the user's token: the active profile and a usable app token for it, asking for whatever
 * is missing (a profile, its secret). undefined when the user cancelled; a failure throws a ProfileFailure, which the
 * failure funnel shows with its fix.
 */
export class TokenAcquirer {
  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly credentials: CredentialEntry,
    private readonly choice: TokenChoice,
    private readonly log: Log,
  ) {}

  async acquire(): Promise<AcquiredToken | undefined> {
    const profile = this.settings.activeProfile() ?? (await this.credentials.addProfile());
    if (!profile) {
      return undefined;
    }
    if (this.choice.subjectOf(profile) === 'user') {
      return this.userToken(profile);
    }
    // A cached token needs no request, so no progress notification either.
    const cached = await this.tokens.usableAppToken(profile);
    if (cached) {
      return [profile, cached];
    }
    if (!(await this.tokens.hasSecret(profile))) {
      return this.withNewSecret(profile);
    }
    try {
      return [profile, await this.log.withProgress(`Getting a Fortellis token for "${profile.name}"…`, () => this.tokens.appToken(profile))];
    } catch (error) {
      if (error instanceof MissingSecretError) {
        // Signed out in another window meanwhile.
        return this.withNewSecret(profile);
      }
      throw new ProfileFailure(profile.name, error);
    }
  }

  /** The signed-in user's token, refreshed if it expired; with no user signed in, Sign In with Browser is offered. */
  private async userToken(profile: Profile): Promise<AcquiredToken | undefined> {
    if (!(await this.tokens.cachedUserToken(profile))) {
      const useApp = "Use the App's Token";
      const choice = await this.log.showInformation(
        `No user is signed in to Fortellis profile "${profile.name}", whose requests use the signed-in user's token. Sign in with the browser, or use the app's token.`,
        'Sign In with Browser',
        useApp,
      );
      if (choice === 'Sign In with Browser') {
        await vscode.commands.executeCommand(COMMANDS.signIn);
      } else if (choice === useApp) {
        await this.choice.choose(profile, 'app');
        return this.acquire();
      }
      return undefined;
    }
    try {
      return [profile, await this.log.withProgress(`Getting the signed-in user's token for "${profile.name}"…`, () => this.tokens.userToken(profile))];
    } catch (error) {
      throw new ProfileFailure(profile.name, error);
    }
  }

  private async withNewSecret(profile: Profile): Promise<AcquiredToken | undefined> {
    const token = await this.credentials.enterSecret(profile);
    return token && [profile, token];
  }
}
