import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../commandIds';
import { clampSetting, type NumericSetting } from '../../core/settings/numericSettings';
import { parseProfiles, type Profile, resolveEnvironment, type SandboxEnvironmentSettings, toSettingsEntry } from '../../core/profiles/profiles';
import type { Environment } from '../../core/profiles/environments';
import type { RenewalPolicy } from '../../core/tokens/renewalSchedule';
import { ignoredWorkspaceSettingMessage, parseSettingsJson, sectionSettingsIn } from '../../core/settings/workspaceSettings';

/** Typed access to the "fortellis.*" settings (declared in package.json's contributes.configuration). */
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

  private readonly reportedWorkspaceValues = new Set<string>();

  /**
   * Logs each fortellis.* value the open workspace's settings files try to set (all are ignored), now and whenever
   * those files or the folders change.
   */
  watchWorkspaceValues(): vscode.Disposable {
    const report = () => void this.reportWorkspaceValues(this.onProblem);
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const subscriptions = [watcher, watcher.onDidCreate(report), watcher.onDidChange(report), vscode.workspace.onDidChangeWorkspaceFolders(report)];
    report();
    return vscode.Disposable.from(...subscriptions);
  }

  private async reportWorkspaceValues(log: (message: string) => void): Promise<void> {
    const sources: Array<{ uri: vscode.Uri; label: string; key?: string }> = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
      uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
      label:
        vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1 ? `${folder.name}/.vscode/settings.json` : '.vscode/settings.json',
    }));
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile && workspaceFile.scheme !== 'untitled') {
      sources.push({ uri: workspaceFile, label: workspaceFile.path.split('/').pop() ?? 'the workspace file', key: 'settings' });
    }
    for (const source of sources) {
      let text: string;
      try {
        text = Buffer.from(await vscode.workspace.fs.readFile(source.uri)).toString('utf8');
      } catch {
        continue;
      }
      const parsed = parseSettingsJson(text);
      const settings = source.key ? (parsed?.[source.key] as Record<string, unknown> | undefined) : parsed;
      for (const name of sectionSettingsIn(typeof settings === 'object' && settings !== null ? settings : undefined, SETTINGS_SECTION)) {
        const key = `${source.label}\n${name}`;
        if (!this.reportedWorkspaceValues.has(key)) {
          this.reportedWorkspaceValues.add(key);
          log(ignoredWorkspaceSettingMessage(name, source.label));
        }
      }
    }
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
    const name = this.get<string>('activeProfile', '');
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

  /** Adds the profile, or replaces the one named `replacing`, and makes it the active one. */
  async saveProfile(profile: Profile, replacing?: string): Promise<void> {
    const others = this.profiles().filter((existing) => existing.name !== (replacing ?? profile.name));
    await this.config.update('profiles', [...others, profile].map(toSettingsEntry), vscode.ConfigurationTarget.Global);
    await this.setActiveProfile(profile.name);
  }

  async removeProfile(name: string): Promise<void> {
    const remaining = this.profiles().filter((profile) => profile.name !== name);
    await this.config.update('profiles', remaining.map(toSettingsEntry), vscode.ConfigurationTarget.Global);
    if (this.get<string>('activeProfile', '') === name) {
      await this.setActiveProfile(remaining[0]?.name);
    }
  }

  setActiveProfile(name: string | undefined): Thenable<void> {
    return this.config.update('activeProfile', name, vscode.ConfigurationTarget.Global);
  }
}
