import * as vscode from 'vscode';
import { ProfileFailure } from '../../core/failures';
import { ClipboardClearing, clipboardClearingNote } from '../../core/tokens/clipboardClearing';
import { systemClock } from '../../core/tokens/clock';
import { countdownLabel } from '../../core/tokens/countdown';
import type { IssuedToken } from '../../core/tokens/token';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import { COMMANDS } from '../../platform/commandIds';
import type { Log } from '../../platform/log';
import type { CommandHandler } from '../../platform/registerCommands';
import type { Settings } from '../../platform/settings/settings';
import type { TokenAcquirer } from '../../tokenAcquirer/tokenAcquirer';

export type TokenCommand = 'getToken' | 'copyToken' | 'renewToken' | 'tokenActions' | 'showLog';

/** "Get Fortellis Token", Copy Token, Renew Token, the status bar's Token Actions and Show Log. */
export class TokenCommands implements vscode.Disposable {
  /** Clears a copied token from the clipboard after fortellis.copyToken.clearAfterSeconds. */
  private readonly clipboardClearing = new ClipboardClearing(vscode.env.clipboard, systemClock, (message) => this.log.warn(message));

  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly acquirer: TokenAcquirer,
    private readonly log: Log,
  ) {}

  /** Cancels a pending clipboard clean-up. */
  dispose(): void {
    this.clipboardClearing.dispose();
  }

  handlers(): Record<TokenCommand, CommandHandler> {
    return {
      getToken: () => this.getToken(),
      copyToken: () => this.copyToken(),
      renewToken: () => this.renewToken(),
      tokenActions: () => this.tokenActions(),
      showLog: () => this.log.show(),
    };
  }

  /** "Get Fortellis Token": a token for the active profile, creating the profile first if there is none. */
  private async getToken(): Promise<void> {
    const acquired = await this.acquirer.acquire();
    if (acquired) {
      const [profile, token] = acquired;
      void this.log
        .showInformation(`Fortellis token for "${profile.name}" ready: ${expiryPhrase(token)}.`, 'Copy Token')
        .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.copyToken));
    }
  }

  private async copyToken(): Promise<void> {
    const acquired = await this.acquirer.acquire();
    if (acquired) {
      const [profile, token] = acquired;
      const clearAfterSeconds = this.settings.copyTokenClearAfterSeconds();
      await vscode.env.clipboard.writeText(token.accessToken);
      this.clipboardClearing.copied(token.accessToken, clearAfterSeconds);
      void this.log.showInformation(`Fortellis token for "${profile.name}" copied: ${expiryPhrase(token)}${clipboardClearingNote(clearAfterSeconds)}.`);
    }
  }

  private async renewToken(): Promise<void> {
    const profile = this.settings.activeProfile();
    if (!profile) {
      await this.getToken();
      return;
    }
    try {
      const token = await this.log.withProgress(`Renewing the Fortellis token for "${profile.name}"…`, () => this.tokens.renewAppToken(profile));
      void this.log.showInformation(`Fortellis token for "${profile.name}" renewed: ${expiryPhrase(token)}.`);
      if ((await this.tokens.cachedUserToken(profile))?.refreshToken) {
        const userToken = await this.tokens.renewUserToken(profile);
        void this.log.showInformation(`Fortellis user token for "${profile.name}" renewed: ${expiryPhrase(userToken)}.`);
      }
    } catch (error) {
      throw new ProfileFailure(profile.name, error);
    }
  }

  private async tokenActions(): Promise<void> {
    const profile = this.settings.activeProfile();
    const actions: Array<vscode.QuickPickItem & { command: string }> = [
      { label: '$(copy) Copy Token', command: COMMANDS.copyToken },
      { label: '$(refresh) Renew Token', command: COMMANDS.renewToken },
      { label: '$(account) Sign In with Browser', command: COMMANDS.signIn },
      { label: '$(arrow-swap) Switch Profile…', command: COMMANDS.switchProfile },
      { label: '$(edit) Edit Profile…', command: COMMANDS.editProfile },
      { label: '$(sign-out) Sign Out', description: profile ? `forget the secret and tokens of "${profile.name}"` : undefined, command: COMMANDS.signOut },
      { label: '$(output) Show Log', command: COMMANDS.showLog },
    ];
    const picked = await vscode.window.showQuickPick(actions, { title: profile ? `Fortellis: ${profile.name}` : 'Fortellis', placeHolder: 'Token actions' });
    if (picked) {
      await vscode.commands.executeCommand(picked.command);
    }
  }
}

/** "expires in 59m, at 10:42:07 AM" */
function expiryPhrase(token: IssuedToken): string {
  return `expires in ${countdownLabel(token.expiresAt - systemClock.now())}, at ${new Date(token.expiresAt).toLocaleTimeString()}`;
}
