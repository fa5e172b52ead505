import * as vscode from 'vscode';
import { type Profile, toSettingsEntry } from '../../core/profiles/profiles';
import { SETTINGS_SECTION } from '../commandIds';
import type { Settings } from './settings';

/** The one writer of "fortellis.profiles" and "fortellis.activeProfile", in the user's settings. */
export class ProfileStore {
  constructor(private readonly settings: Settings) {}

  /** Adds the profile, or replaces the one named `replacing`, and makes it the active one. */
  async saveProfile(profile: Profile, replacing?: string): Promise<void> {
    const others = this.settings.profiles().filter((existing) => existing.name !== (replacing ?? profile.name));
    await this.update('profiles', [...others, profile].map(toSettingsEntry));
    await this.setActiveProfile(profile.name);
  }

  async removeProfile(name: string): Promise<void> {
    const remaining = this.settings.profiles().filter((profile) => profile.name !== name);
    await this.update('profiles', remaining.map(toSettingsEntry));
    if (this.settings.activeProfileName() === name) {
      await this.setActiveProfile(remaining[0]?.name);
    }
  }

  setActiveProfile(name: string | undefined): Thenable<void> {
    return this.update('activeProfile', name);
  }

  private update(name: string, value: unknown): Thenable<void> {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION).update(name, value, vscode.ConfigurationTarget.Global);
  }
}
