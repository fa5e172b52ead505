import * as vscode from 'vscode';
import type { Profile } from '../../core/profiles/profiles';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { Log } from '../../platform/log';
import type { CommandHandler } from '../../platform/registerCommands';
import type { ProfileStore } from '../../platform/settings/profileStore';
import type { Settings } from '../../platform/settings/settings';
import type { CredentialEntry } from '../../tokenAcquirer/credentialEntry';

export type ProfileCommand = 'addProfile' | 'editProfile' | 'switchProfile' | 'signOut' | 'removeProfile';

/** Add, Edit, Switch and Remove Profile, and Sign Out. */
export class ProfileCommands {
  constructor(
    private readonly settings: Settings,
    private readonly profileStore: ProfileStore,
    private readonly tokens: TokenLifecycle,
    private readonly credentials: CredentialEntry,
    private readonly log: Log,
  ) {}

  handlers(): Record<ProfileCommand, CommandHandler> {
    return {
      addProfile: () => this.credentials.addProfile(),
      // The failure funnel's "Update Credentials" and "Edit Profile" name the profile.
      editProfile: (name?: unknown) => this.editProfile(typeof name === 'string' ? this.settings.profileNamed(name) : undefined),
      switchProfile: () => this.switchProfile(),
      signOut: () => this.signOut(),
      removeProfile: () => this.removeProfile(),
    };
  }

  private async editProfile(profile?: Profile): Promise<void> {
    profile ??= await this.pickProfile('Edit which profile?');
    if (profile) {
      await this.credentials.editProfile(profile);
    }
  }

  private async switchProfile(): Promise<void> {
    const active = this.settings.activeProfile();
    const items: Array<vscode.QuickPickItem & { profile?: Profile }> = this.settings.profiles().map((profile) => ({
      label: profile.name,
      description: `${profile.name === active?.name ? '$(check) active · ' : ''}${this.settings.environment(profile).issuer}`,
      profile,
    }));
    items.push({ label: '$(add) Add Profile…' });
    const picked = await vscode.window.showQuickPick(items, { title: 'Switch Fortellis Profile', placeHolder: 'Profile to use' });
    if (!picked) {
      return;
    }
    if (picked.profile) {
      await this.profileStore.setActiveProfile(picked.profile.name);
    } else {
      await this.credentials.addProfile();
    }
  }

  private async signOut(): Promise<void> {
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

  private async removeProfile(): Promise<void> {
    const profile = await this.pickProfile('Remove which profile?');
    if (
      profile &&
      (await this.log.confirm(`Remove Fortellis profile "${profile.name}"?`, 'Its settings, API secret and cached tokens are deleted.', 'Remove'))
    ) {
      await this.tokens.signOut(profile);
      await this.profileStore.removeProfile(profile.name);
      void this.log.showInformation(`Removed profile "${profile.name}".`);
    }
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
}
