import * as vscode from 'vscode';
import { SETTINGS_SECTION } from './commandIds';
import { clampSetting, type NumericSetting } from './core/numericSettings';
import { parseProfiles, type Profile, resolveEnvironment, type SandboxEnvironmentSettings, toSettingsEntry } from './core/profiles/profiles';
import type { Environment } from './core/profiles/environments';
import type { RenewalPolicy } from './core/tokens/renewalSchedule';

/** Typed access to the "fortellis.*" settings (declared in package.json's contributes.configuration). */
export class Settings {
  private reportedProblems = '';

  constructor(private readonly onProblem: (message: string) => void) {}

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  profiles(): Profile[] {
    const { profiles, problems } = parseProfiles(this.config.get('profiles'));
    // Report each distinct set of problems once, not on every read.
    const report = problems.join('\n');
    if (report && report !== this.reportedProblems) {
      problems.forEach((problem) => this.onProblem(problem));
    }
    this.reportedProblems = report;
    return profiles;
  }

  /** The profile named by "fortellis.activeProfile", else the first one. */
  activeProfile(): Profile | undefined {
    const profiles = this.profiles();
    const name = this.config.get<string>('activeProfile');
    return profiles.find((profile) => profile.name === name) ?? profiles[0];
  }

  /** The profile as the settings hold it now. */
  profileNamed(name: string): Profile | undefined {
    return this.profiles().find((profile) => profile.name === name);
  }

  /** Where the profile's issuer and APIs are. */
  environment(profile: Profile): Environment {
    return resolveEnvironment(profile, this.sandbox());
  }

  sandbox(): SandboxEnvironmentSettings {
    return {
      issuer: this.config.get<string>('sandbox.issuer', ''),
      apiBaseUrl: this.config.get<string>('sandbox.apiBaseUrl', ''),
      subscriptionsUrl: this.config.get<string>('sandbox.subscriptionsUrl', ''),
    };
  }

  renewal(): RenewalPolicy {
    return {
      enabled: this.config.get<boolean>('tokenRenewal.enabled', true) !== false,
      beforeExpiryMs: this.number('tokenRenewal.secondsBeforeExpiry') * 1000,
    };
  }

  /** A numeric setting, clamped to its limits whatever settings.json holds. */
  private number(name: NumericSetting): number {
    return clampSetting(name, this.config.get<unknown>(name));
  }

  signIn(): { pkce: boolean; refreshTokens: boolean; scopes: string; timeoutSeconds: number; loopbackRedirectUri: string; implicitResponseType: 'id_token token' | 'token' } {
    return {
      pkce: this.config.get<boolean>('signIn.pkce', true),
      refreshTokens: this.config.get<boolean>('signIn.refreshTokens', true),
      scopes: this.config.get<string>('signIn.scopes', 'openid'),
      timeoutSeconds: this.number('signIn.timeoutSeconds'),
      loopbackRedirectUri: this.config.get<string>('signIn.loopbackRedirectUri', ''),
      implicitResponseType: this.config.get<'id_token token' | 'token'>('signIn.implicitResponseType', 'id_token token'),
    };
  }

  /** Whether "Insert Request Snippet" offers writing the current token into the snippet first. */
  snippetTokenLiterally(): boolean {
    return this.config.get<boolean>('snippets.writeTokenLiterally', false);
  }

  /** Whether integrated terminals get FORTELLIS_TOKEN and FORTELLIS_SUBSCRIPTION_ID. */
  terminalExport(): boolean {
    return this.config.get<boolean>('terminal.exportToken', true);
  }

  /** Timeout and proxy for the extension's requests to APIs and key endpoints. */
  http(): { timeoutMs: number; proxy: string | undefined } {
    return { timeoutMs: this.timeoutMs(), proxy: this.proxy() };
  }

  timeoutMs(): number {
    return this.number('http.timeoutSeconds') * 1000;
  }

  /** The proxy VS Code uses for extensions, without any credentials in it, for messages. */
  proxy(): string | undefined {
    const configured = vscode.workspace.getConfiguration('http').get<string>('proxy') || process.env.HTTPS_PROXY || process.env.https_proxy;
    if (!configured) {
      return undefined;
    }
    try {
      const url = new URL(configured);
      return `${url.protocol}//${url.host}`;
    } catch {
      return 'the configured proxy';
    }
  }

  /** Adds the profile, or replaces the one named `replacing`, and makes it the active one. */
  async saveProfile(profile: Profile, replacing?: string): Promise<void> {
    const others = this.profiles().filter((existing) => existing.name !== (replacing ?? profile.name));
    await this.config.update('profiles', [...others, profile].map(toSettingsEntry), vscode.ConfigurationTarget.Global);
    await this.setActiveProfile(profile.name);
  }

  async removeProfile(name: string): Promise<void> {
    const remaining = this.profiles().filter((profile) => profile.name !== name);
    await this.config.update('profiles', remaining.map(toSettingsEntry), vscode.ConfigurationTarget.Global);
    if (this.config.get<string>('activeProfile') === name) {
      await this.setActiveProfile(remaining[0]?.name);
    }
  }

  setActiveProfile(name: string | undefined): Thenable<void> {
    return this.config.update('activeProfile', name, vscode.ConfigurationTarget.Global);
  }
}
