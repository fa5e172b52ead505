import * as vscode from 'vscode';
import { isRejectedInput, ProfileFailure } from '../core/failures';
import type { Profile } from '../core/profiles/profiles';
import type { IssuedToken } from '../core/tokens/token';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';
import { COMMANDS } from '../platform/commandIds';
import type { FailureFunnel } from '../platform/failureFunnel';
import type { Log } from '../platform/log';
import type { ProfileStore } from '../platform/settings/profileStore';
import type { Settings } from '../platform/settings/settings';
import { askForProfile, askForSecret } from './profileWizard';

export interface CredentialEntryParts {
  readonly settings: Settings;
  readonly profileStore: ProfileStore;
  readonly tokens: TokenLifecycle;
  readonly funnel: FailureFunnel;
  readonly log: Log;
}

/**
 * Where credentials are entered: the profile wizard for a new or edited profile, and the masked box for a missing
 * secret. What is entered is checked with the issuer before it is saved: credentials or an issuer the server rejects
 * are not saved; after a network failure they are, since they could not be checked.
 */
export class CredentialEntry {
  constructor(private readonly parts: CredentialEntryParts) {}

  /** Returns the profile once it is saved. */
  async addProfile(initial?: Profile): Promise<Profile | undefined> {
    const { settings } = this.parts;
    const input = await askForProfile({ existing: settings.profiles(), sandboxIssuer: settings.sandbox().issuer, initial, editing: false });
    if (!input || input.apiSecret === undefined) {
      return undefined;
    }
    const saved = await this.verifyAndSave(input.profile, input.apiSecret, undefined);
    return saved ? input.profile : undefined;
  }

  /**
   * Edits `replacing`, starting from `initial`'s answers. The stored secret is kept only while the issuer and the
   * API key stay the same; otherwise the wizard asks for the secret again, so the old one never reaches another server.
   */
  async editProfile(replacing: Profile, initial: Profile = replacing): Promise<void> {
    const { settings, tokens, profileStore, log } = this.parts;
    const secretStored = await tokens.hasSecret(replacing);
    const input = await askForProfile({
      existing: settings.profiles(),
      sandboxIssuer: settings.sandbox().issuer,
      initial,
      editing: true,
      canKeepSecret: (draft) => secretStored && tokens.sameIssuerAndKey(replacing, draft),
    });
    if (!input) {
      return;
    }
    if (input.apiSecret === undefined) {
      await tokens.moveCredentials(replacing, input.profile);
      await profileStore.saveProfile(input.profile, replacing.name);
      log.info(`Saved profile "${input.profile.name}" (same issuer and API key; the stored secret was kept).`);
      return;
    }
    await this.verifyAndSave(input.profile, input.apiSecret, replacing);
  }

  /** Asks for the profile's API secret (masked), checks it with the server and stores it; undefined when cancelled or refused. */
  async enterSecret(profile: Profile): Promise<IssuedToken | undefined> {
    const secret = await askForSecret(`API secret for Fortellis profile "${profile.name}"`, profile.apiKey, false);
    return secret === undefined ? undefined : this.verifyAndSave(profile, secret, profile);
  }

  /** Requests a token with the entered credentials, then saves the secret, the token and the profile. */
  private async verifyAndSave(profile: Profile, secret: string, replacing: Profile | undefined): Promise<IssuedToken | undefined> {
    const { tokens, profileStore, log } = this.parts;
    let token: IssuedToken | undefined;
    let failure: unknown;
    try {
      token = await log.withProgress(`Checking the credentials of "${profile.name}" with Fortellis…`, () => tokens.verifyCredentials(profile, secret));
    } catch (error) {
      if (isRejectedInput(error)) {
        void log.showError(`Fortellis (${profile.name}): ${error.message} Nothing was saved.`, 'Try Again', 'Show Log').then((choice) => {
          if (choice === 'Try Again') {
            const again = async () => void (await (replacing ? this.editProfile(replacing, profile) : this.addProfile(profile)));
            return this.parts.funnel.run(replacing ? COMMANDS.editProfile : COMMANDS.addProfile, again, again);
          }
          if (choice === 'Show Log') {
            log.show();
          }
          return undefined;
        });
        return undefined;
      }
      failure = error;
    }
    if (replacing && tokens.credentialsMoved(replacing, profile)) {
      await tokens.signOut(replacing);
    }
    await tokens.saveCredentials(profile, secret, token);
    await profileStore.saveProfile(profile, replacing?.name);
    log.info(`Saved profile "${profile.name}"${token ? '' : ' (its credentials could not be checked)'}.`);
    if (failure) {
      this.parts.funnel.report(new ProfileFailure(profile.name, failure), COMMANDS.getToken, () => vscode.commands.executeCommand(COMMANDS.getToken));
    }
    return token;
  }
}
