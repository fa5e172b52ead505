import * as vscode from 'vscode';
import { COMMANDS, type ProfileCommand } from '../../platform/commandIds';
import { CALLBACK_MODE_LABELS, type CallbackMode, type SignInGrant } from '../../core/signIn/callbackModes';
import { ClipboardClearing, clipboardClearingNote } from '../../core/tokens/clipboardClearing';
import { systemClock } from '../../core/tokens/clock';
import { countdownLabel } from '../../core/tokens/countdown';
import type { Profile } from '../../core/profiles/profiles';
import type { IssuedToken } from '../../core/tokens/token';
import { type TokenErrorKind, TokenRequestError } from '../../core/tokens/tokenErrors';
import type { Log } from '../../platform/log';
import { askForProfile, askForSecret } from '../../tokenAcquirer/profileWizard';
import type { Settings } from '../../platform/settings/settings';
import type { BrowserSignIn } from '../signIn/browserSignIn';
import type { CallbackReceiver } from '../signIn/callbackReceivers';
import { MissingSecretError, type TokenLifecycle } from '../../core/tokens/tokenLifecycle';

/** Failures that mean the credentials or the issuer are wrong: nothing entered with them is saved. */
const REJECTED_INPUT: ReadonlySet<TokenErrorKind> = new Set([
  'invalid-credentials',
  'invalid-scope',
  'insecure-endpoint',
  'redirect',
  'not-json',
  'malformed-response',
]);

/** The command handlers. Each catches its own failures and reports them; none throws at the user. */
export class FortellisCommands {
  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly browserSignIn: BrowserSignIn,
    private readonly callbackFlows: Readonly<Record<CallbackMode, CallbackReceiver>>,
    private readonly log: Log,
  ) {}

  /** Clears a copied token from the clipboard after fortellis.copyToken.clearAfterSeconds. */
  private readonly clipboardClearing = new ClipboardClearing(vscode.env.clipboard, systemClock, (message) => this.log.warn(message));

  /** Cancels a pending clipboard clean-up. */
  dispose(): void {
    this.clipboardClearing.dispose();
  }

  /** The handler of each command this class owns. */
  handlers(): Record<ProfileCommand, () => unknown> {
    return {
      getToken: () => this.getToken(),
      copyToken: () => this.copyToken(),
      renewToken: () => this.renewToken(),
      tokenActions: () => this.tokenActions(),
      signIn: () => this.signInWithBrowser('code'),
      signInImplicit: () => this.signInWithBrowser('implicit'),
      showCallbackUrl: () => this.showCallbackUrl(),
      addProfile: () => this.addProfile(),
      editProfile: () => this.editProfile(),
      switchProfile: () => this.switchProfile(),
      signOut: () => this.signOut(),
      removeProfile: () => this.removeProfile(),
      showLog: () => this.log.show(),
    };
  }

  /** "Get Fortellis Token": a token for the active profile, creating the profile first if there is none. */
  async getToken(): Promise<void> {
    const acquired = await this.acquire(() => this.getToken());
    if (acquired) {
      const [profile, token] = acquired;
      void this.log
        .showInformation(`Fortellis token for "${profile.name}" ready: ${expiryPhrase(token)}.`, 'Copy Token')
        .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.copyToken));
    }
  }

  async copyToken(): Promise<void> {
    const acquired = await this.acquire(() => this.copyToken());
    if (acquired) {
      const [profile, token] = acquired;
      const clearAfterSeconds = this.settings.copyTokenClearAfterSeconds();
      await vscode.env.clipboard.writeText(token.accessToken);
      this.clipboardClearing.copied(token.accessToken, clearAfterSeconds);
      void this.log.showInformation(`Fortellis token for "${profile.name}" copied: ${expiryPhrase(token)}${clipboardClearingNote(clearAfterSeconds)}.`);
    }
  }

  async renewToken(): Promise<void> {
    const profile = this.settings.activeProfile();
    if (!profile) {
      await this.getToken();
      return;
    }
    try {
      const token = await this.withProgress(`Renewing the Fortellis token for "${profile.name}"…`, () => this.tokens.renewAppToken(profile));
      void this.log.showInformation(`Fortellis token for "${profile.name}" renewed: ${expiryPhrase(token)}.`);
      if ((await this.tokens.userToken(profile))?.refreshToken) {
        const userToken = await this.tokens.renewUserToken(profile);
        void this.log.showInformation(`Fortellis user token for "${profile.name}" renewed: ${expiryPhrase(userToken)}.`);
      }
    } catch (error) {
      this.report(error, profile, () => this.renewToken());
    }
  }

  async tokenActions(): Promise<void> {
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

  /** Signs the active profile's user in with the browser (creating the profile first if there is none). */
  async signInWithBrowser(grant: SignInGrant): Promise<void> {
    const profile = this.settings.activeProfile() ?? (await this.addProfile());
    if (profile) {
      await this.browserSignIn.signIn(profile, grant);
    }
  }

  /** The exact Callback URL to register for the active profile's callback mode, here: shown and copied. */
  async showCallbackUrl(): Promise<void> {
    const mode = this.settings.activeProfile()?.callbackMode ?? 'uriHandler';
    const url = await this.callbackFlows[mode].redirectUri();
    await vscode.env.clipboard.writeText(url);
    const note =
      mode === 'paste'
        ? ' (any registered Callback URL works: you paste where the browser lands)'
        : mode === 'uriHandler' && vscode.env.uiKind === vscode.UIKind.Web
          ? '. In browser-based VS Code this URL changes with every sign-in, so Fortellis cannot match a registered one: use the loopback mode there.'
          : '';
    void this.log.showInformation(`Callback URL for ${CALLBACK_MODE_LABELS[mode]}, copied to the clipboard: ${url}${note}`);
  }

  /** Returns the profile once it is saved. */
  async addProfile(initial?: Profile): Promise<Profile | undefined> {
    const input = await askForProfile({ existing: this.settings.profiles(), sandboxIssuer: this.settings.sandbox().issuer, initial, editing: false });
    if (!input || input.apiSecret === undefined) {
      return undefined;
    }
    const saved = await this.verifyAndSave(input.profile, input.apiSecret, undefined);
    return saved ? input.profile : undefined;
  }

  async editProfile(profile?: Profile): Promise<void> {
    profile ??= await this.pickProfile('Edit which profile?');
    if (profile) {
      await this.editWith(profile, profile);
    }
  }

  /**
   * Edits `replacing`, starting from `initial`'s answers. The stored secret is kept only while the issuer and the
   * API key stay the same; otherwise the wizard asks for the secret again, so the old one never reaches another server.
   */
  private async editWith(replacing: Profile, initial: Profile): Promise<void> {
    const secretStored = await this.tokens.hasSecret(replacing);
    const input = await askForProfile({
      existing: this.settings.profiles(),
      sandboxIssuer: this.settings.sandbox().issuer,
      initial,
      editing: true,
      canKeepSecret: (draft) => secretStored && this.tokens.sameIssuerAndKey(replacing, draft),
    });
    if (!input) {
      return;
    }
    if (input.apiSecret === undefined) {
      await this.tokens.moveCredentials(replacing, input.profile);
      await this.settings.saveProfile(input.profile, replacing.name);
      this.log.info(`Saved profile "${input.profile.name}" (same issuer and API key; the stored secret was kept).`);
      return;
    }
    await this.verifyAndSave(input.profile, input.apiSecret, replacing);
  }

  async switchProfile(): Promise<void> {
    const active = this.settings.activeProfile();
    const items: Array<vscode.QuickPickItem & { profile?: Profile }> = this.settings.profiles().map((profile) => ({
      label: profile.name,
      description: `${profile.name === active?.name ? '$(check) active · ' : ''}${this.tokens.environment(profile).issuer}`,
      profile,
    }));
    items.push({ label: '$(add) Add Profile…' });
    const picked = await vscode.window.showQuickPick(items, { title: 'Switch Fortellis Profile', placeHolder: 'Profile to use' });
    if (!picked) {
      return;
    }
    if (picked.profile) {
      await this.settings.setActiveProfile(picked.profile.name);
    } else {
      await this.addProfile();
    }
  }

  async signOut(): Promise<void> {
    const profile = await this.pickProfile('Sign out of which profile?');
    if (
      profile &&
      (await this.log.confirm(
        `Sign out of Fortellis profile "${profile.name}"?`,
        'Its API secret and cached tokens are deleted from this machine. The profile stays.',
        'Sign Out',
      ))
    ) {
      await this.tokens.signOut(profile);
      void this.log.showInformation(`Signed out of "${profile.name}".`);
    }
  }

  async removeProfile(): Promise<void> {
    const profile = await this.pickProfile('Remove which profile?');
    if (
      profile &&
      (await this.log.confirm(`Remove Fortellis profile "${profile.name}"?`, 'Its settings, API secret and cached tokens are deleted.', 'Remove'))
    ) {
      await this.tokens.signOut(profile);
      await this.settings.removeProfile(profile.name);
      void this.log.showInformation(`Removed profile "${profile.name}".`);
    }
  }

  /**
   * The active profile and a usable token for it, asking for whatever is missing (a profile, its secret).
   * undefined when cancelled or failed; failures are reported with a fix.
   */
  async acquire(retry: () => Promise<unknown>): Promise<[Profile, IssuedToken] | undefined> {
    const profile = this.settings.activeProfile() ?? (await this.addProfile());
    if (!profile) {
      return undefined;
    }
    // A cached token needs no request, so no progress notification either.
    const cached = await this.tokens.usableAppToken(profile);
    if (cached) {
      return [profile, cached];
    }
    if (!(await this.tokens.hasSecret(profile))) {
      return this.acquireWithNewSecret(profile);
    }
    try {
      const token = await this.withProgress(`Getting a Fortellis token for "${profile.name}"…`, () => this.tokens.appToken(profile));
      return [profile, token];
    } catch (error) {
      if (error instanceof MissingSecretError) {
        // Signed out in another window meanwhile.
        return this.acquireWithNewSecret(profile);
      }
      this.report(error, profile, retry);
      return undefined;
    }
  }

  private async acquireWithNewSecret(profile: Profile): Promise<[Profile, IssuedToken] | undefined> {
    const secret = await askForSecret(`API secret for Fortellis profile "${profile.name}"`, profile.apiKey, false);
    if (secret === undefined) {
      return undefined;
    }
    const token = await this.verifyAndSave(profile, secret, profile);
    return token ? [profile, token] : undefined;
  }

  /**
   * Requests a token with the entered credentials, then saves the secret, the token and the profile.
   * Credentials or an issuer the server rejects are not saved; after a network failure they are, since
   * they could not be checked.
   */
  private async verifyAndSave(profile: Profile, secret: string, replacing: Profile | undefined): Promise<IssuedToken | undefined> {
    let token: IssuedToken | undefined;
    let failure: unknown;
    try {
      token = await this.withProgress(`Checking the credentials of "${profile.name}" with Fortellis…`, () => this.tokens.verifyCredentials(profile, secret));
    } catch (error) {
      if (error instanceof TokenRequestError && REJECTED_INPUT.has(error.kind)) {
        void this.log.showError(`Fortellis (${profile.name}): ${error.message} Nothing was saved.`, 'Try Again', 'Show Log').then((choice) => {
          if (choice === 'Try Again') {
            return this.addOrEditAgain(profile, replacing);
          }
          if (choice === 'Show Log') {
            this.log.show();
          }
          return undefined;
        });
        return undefined;
      }
      failure = error;
    }
    if (replacing && this.tokens.credentialsMoved(replacing, profile)) {
      await this.tokens.signOut(replacing);
    }
    await this.tokens.saveCredentials(profile, secret, token);
    await this.settings.saveProfile(profile, replacing?.name);
    this.log.info(`Saved profile "${profile.name}"${token ? '' : ' (its credentials could not be checked)'}.`);
    if (failure) {
      this.report(failure, profile, () => this.getToken());
    }
    return token;
  }

  private async addOrEditAgain(profile: Profile, replacing: Profile | undefined): Promise<void> {
    if (replacing) {
      await this.editWith(replacing, profile);
    } else {
      await this.addProfile(profile);
    }
  }

  /** Asks for the profile's API secret (masked), checks it with the server and stores it; false when cancelled or refused. */
  async enterSecret(profile: Profile): Promise<boolean> {
    return (await this.acquireWithNewSecret(profile)) !== undefined;
  }

  private async pickProfile(placeHolder: string): Promise<Profile | undefined> {
    const profiles = this.settings.profiles();
    if (profiles.length <= 1) {
      if (profiles.length === 0) {
        void this.log.showInformation('There is no Fortellis profile yet. Run "Get Fortellis Token" to add one.');
      }
      return profiles[0];
    }
    const active = this.settings.activeProfile();
    const picked = await vscode.window.showQuickPick(
      profiles.map((profile) => ({ label: profile.name, description: profile.name === active?.name ? 'active' : undefined, profile })),
      { placeHolder },
    );
    return picked?.profile;
  }

  private withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
  }

  /**
   * Shows a failure with the action that fixes it, without waiting for the user to answer.
   * The stored secret and any cached token are untouched.
   */
  private report(error: unknown, profile: Profile, retry: () => Promise<unknown>): void {
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof TokenRequestError ? error.kind : undefined;
    const fix =
      kind === 'invalid-credentials'
        ? 'Update Credentials'
        : kind === 'invalid-grant'
          ? 'Sign In with Browser'
          : kind && REJECTED_INPUT.has(kind)
            ? 'Edit Profile'
            : 'Retry';
    void this.log.showError(`Fortellis (${profile.name}): ${message}`, fix, 'Show Log').then((choice) => {
      if (choice === 'Update Credentials' || choice === 'Edit Profile') {
        return this.editProfile(profile);
      }
      if (choice === 'Sign In with Browser') {
        // A refresh token that expired or was revoked: only a new sign-in helps, retrying cannot.
        return this.signInWithBrowser('code');
      }
      if (choice === 'Retry') {
        return retry();
      }
      if (choice === 'Show Log') {
        this.log.show();
      }
      return undefined;
    });
  }
}

/** "expires in 59m, at 10:42:07 AM" */
function expiryPhrase(token: IssuedToken): string {
  return `expires in ${countdownLabel(token.expiresAt - systemClock.now())}, at ${new Date(token.expiresAt).toLocaleTimeString()}`;
}
