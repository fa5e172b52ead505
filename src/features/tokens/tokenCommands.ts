import * as vscode from 'vscode';
import { ProfileFailure } from '../../core/failures';
import { ClipboardClearing, clipboardClearingNote } from '../../core/tokens/clipboardClearing';
import { systemClock } from '../../core/tokens/clock';
import { countdownLabel } from '../../core/tokens/countdown';
import type { IssuedToken } from '../../core/tokens/token';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import { TOKEN_SUBJECT_LABELS, type TokenSubject } from '../../core/tokens/tokenSubject';
import { COMMANDS } from '../../platform/commandIds';
import type { Log } from '../../platform/log';
import type { CommandHandler } from '../../platform/registerCommands';
import type { Settings } from '../../platform/settings/settings';
import type { TokenChoice } from '../../platform/tokenChoice';
import type { TokenAcquirer } from '../../tokenAcquirer/tokenAcquirer';

export type TokenCommand = 'getToken' | 'copyToken' | 'renewToken' | 'chooseToken' | 'tokenActions' | 'showLog';

/** "Get Fortellis Token", Copy Token, Renew Token, Choose Token, the status bar's Token Actions and Show Log. */
export class TokenCommands implements vscode.Disposable {
  /** Clears a copied token from the clipboard after fortellis.copyToken.clearAfterSeconds. */
  private readonly clipboardClearing = new ClipboardClearing(vscode.env.clipboard, systemClock, (message) => this.log.warn(message));

  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly acquirer: TokenAcquirer,
    private readonly choice: TokenChoice,
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
      chooseToken: () => this.chooseToken(),
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

  /** Which token the active profile's requests use: the app's, or the signed-in user's (for user-context APIs). */
  private async chooseToken(): Promise<void> {
    const profile = this.settings.activeProfile();
    if (!profile) {
      void this.log.showInformation('There is no Fortellis profile yet. Run "Get Fortellis Token" to add one.');
      return;
    }
    const current = this.choice.subjectOf(profile);
    const signedIn = (await this.tokens.cachedUserToken(profile)) !== undefined;
    const items: Array<vscode.QuickPickItem & { subject: TokenSubject }> = (['app', 'user'] as const).map((subject) => ({
      label: subject === 'app' ? "$(key) The App's Token" : "$(account) The Signed-In User's Token",
      description: subject === current ? 'in use' : undefined,
      detail:
        subject === 'app'
          ? 'Client credentials: what most Fortellis APIs take.'
          : signedIn
            ? 'From "Sign In with Browser", renewed with its refresh token: for user-context APIs.'
            : 'No user is signed in yet: you are asked to sign in with the browser first.',
      subject,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Fortellis: ${profile.name} · Choose Token`,
      placeHolder: 'The token Call API, API specs, snippets and Copy Token use',
    });
    if (!picked || picked.subject === current) {
      return;
    }
    await this.choice.choose(profile, picked.subject);
    void this.log.showInformation(`Requests of "${profile.name}" now use ${TOKEN_SUBJECT_LABELS[picked.subject]}.`);
    if (picked.subject === 'user' && !signedIn) {
      await vscode.commands.executeCommand(COMMANDS.signIn);
    }
  }

  private async tokenActions(): Promise<void> {
    const profile = this.settings.activeProfile();
    const actions: Array<vscode.QuickPickItem & { command: string }> = [
      { label: '$(copy) Copy Token', command: COMMANDS.copyToken },
      { label: '$(refresh) Renew Token', command: COMMANDS.renewToken },
      { label: '$(account) Sign In with Browser', command: COMMANDS.signIn },
      { label: '$(arrow-both) Choose Token…', description: "the app's or the signed-in user's", command: COMMANDS.chooseToken },
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
