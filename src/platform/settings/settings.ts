import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../commandIds';
import { clampSetting, type NumericSetting } from '../../core/settings/numericSettings';
import { parseProfiles, type Profile, resolveEnvironment, type SandboxEnvironmentSettings } from '../../core/profiles/profiles';
import type { Environment } from '../../core/profiles/environments';
import type { RenewalPolicy } from '../../core/tokens/renewalSchedule';

/**
 * Typed reads of the "fortellis.*" settings (declared in package.json's contributes.configuration). Writes are the
 * profile store's (profileStore.ts); the workspace's ignored values are logged by workspaceSettingsAudit.ts.
 */
export class Settings {
  private reportedProblems = '';

  constructor(private readonly onProblem: (message: string) => void) {}

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  /**
   * A setting's value from the user's settings (else its default), never from the workspace. package.json makes every
   * fortellis.* setting application- or machine-scoped, so VS Code ignores workspace values already; reading
   * globalValue keeps it so should a scope ever change.
   */
  private get<T>(name: string, fallback: T): T {
    const inspected = this.config.inspect<T>(name);
    return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  }

  profiles(): Profile[] {
    const { profiles, problems } = parseProfiles(this.get<unknown>('profiles', []));
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
    const name = this.activeProfileName();
    return profiles.find((profile) => profile.name === name) ?? profiles[0];
  }

  /** "fortellis.activeProfile" as set, even if no profile has that name. */
  activeProfileName(): string {
    return this.get<string>('activeProfile', '');
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
      issuer: this.get<string>('sandbox.issuer', ''),
      apiBaseUrl: this.get<string>('sandbox.apiBaseUrl', ''),
      subscriptionsUrl: this.get<string>('sandbox.subscriptionsUrl', ''),
    };
  }

  renewal(): RenewalPolicy {
    return {
      enabled: this.get<boolean>('tokenRenewal.enabled', true) !== false,
      beforeExpiryMs: this.number('tokenRenewal.secondsBeforeExpiry') * 1000,
    };
  }

  /** A numeric setting, clamped to its limits whatever settings.json holds. */
  private number(name: NumericSetting): number {
    return clampSetting(name, this.get<unknown>(name, undefined));
  }

  signIn(): {
    pkce: boolean;
    refreshTokens: boolean;
    scopes: string;
    timeoutSeconds: number;
    loopbackRedirectUri: string;
    implicitResponseType: 'id_token token' | 'token';
  } {
    return {
      pkce: this.get<boolean>('signIn.pkce', true),
      refreshTokens: this.get<boolean>('signIn.refreshTokens', true),
      scopes: this.get<string>('signIn.scopes', 'openid'),
      timeoutSeconds: this.number('signIn.timeoutSeconds'),
      loopbackRedirectUri: this.get<string>('signIn.loopbackRedirectUri', ''),
      implicitResponseType: this.get<'id_token token' | 'token'>('signIn.implicitResponseType', 'id_token token'),
    };
  }

  /** Seconds after Copy Token to clear the clipboard if it still holds the token; 0 keeps it. */
  copyTokenClearAfterSeconds(): number {
    return this.number('copyToken.clearAfterSeconds');
  }

  /** Whether "Insert Request Snippet" offers writing the current token into the snippet first. */
  snippetTokenLiterally(): boolean {
    return this.get<boolean>('snippets.writeTokenLiterally', false);
  }

  /** Whether integrated terminals get FORTELLIS_TOKEN and FORTELLIS_SUBSCRIPTION_ID. */
  terminalExport(): boolean {
    return this.get<boolean>('terminal.exportToken', true);
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
}
