import * as vscode from 'vscode';
import { CALLBACK_MODE_LABELS, type CallbackMode, type SignInGrant } from '../../core/signIn/callbackModes';
import type { Log } from '../../platform/log';
import type { CommandHandler } from '../../platform/registerCommands';
import type { Settings } from '../../platform/settings/settings';
import type { CredentialEntry } from '../../tokenAcquirer/credentialEntry';
import type { BrowserSignIn } from './browserSignIn';
import type { CallbackReceiver } from './callbackReceivers';

export type SignInCommand = 'signIn' | 'signInImplicit' | 'showCallbackUrl';

/** Sign In with Browser (code + PKCE, or the legacy implicit flow) and Show Callback URL. */
export class SignInCommands {
  constructor(
    private readonly settings: Settings,
    private readonly browserSignIn: BrowserSignIn,
    private readonly receivers: Readonly<Record<CallbackMode, CallbackReceiver>>,
    private readonly credentials: CredentialEntry,
    private readonly log: Log,
  ) {}

  handlers(): Record<SignInCommand, CommandHandler> {
    return {
      signIn: () => this.signInWithBrowser('code'),
      signInImplicit: () => this.signInWithBrowser('implicit'),
      showCallbackUrl: () => this.showCallbackUrl(),
    };
  }

  /** Signs the active profile's user in with the browser (creating the profile first if there is none). */
  private async signInWithBrowser(grant: SignInGrant): Promise<void> {
    const profile = this.settings.activeProfile() ?? (await this.credentials.addProfile());
    if (profile) {
      await this.browserSignIn.signIn(profile, grant);
    }
  }

  /** The exact Callback URL to register for the active profile's callback mode, here: shown and copied. */
  private async showCallbackUrl(): Promise<void> {
    const mode = this.settings.activeProfile()?.callbackMode ?? 'uriHandler';
    const url = await this.receivers[mode].redirectUri();
    await vscode.env.clipboard.writeText(url);
    const note =
      mode === 'paste'
        ? ' (any registered Callback URL works: you paste where the browser lands)'
        : mode === 'uriHandler' && vscode.env.uiKind === vscode.UIKind.Web
          ? '. In browser-based VS Code this URL changes with every sign-in, so Fortellis cannot match a registered one: use the loopback mode there.'
          : '';
    void this.log.showInformation(`Callback URL for ${CALLBACK_MODE_LABELS[mode]}, copied to the clipboard: ${url}${note}`);
  }
}
