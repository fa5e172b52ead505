import * as vscode from 'vscode';
import { ENVIRONMENT_VARIABLES } from '../../core/tokenExport/environmentVariables';
import type { Settings } from '../../platform/settings/settings';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';

/**
 * FORTELLIS_TOKEN and FORTELLIS_SUBSCRIPTION_ID in integrated terminals, for the active profile: what generated
 * snippets read. Updated whenever the token changes; VS Code offers to relaunch terminals started before.
 * Not persistent, so VS Code never writes the token to disk.
 */
export class TerminalEnvironment {
  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
  ) {
    collection.persistent = false;
  }

  async update(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      // Restricted Mode: terminals of a workspace the user does not trust yet get no token.
      this.collection.clear();
      this.collection.description = new vscode.MarkdownString(
        `Fortellis Auth: \`${ENVIRONMENT_VARIABLES.token}\` waits until you trust this workspace (Restricted Mode).`,
      );
      return;
    }
    const profile = this.settings.activeProfile();
    const token = profile && this.settings.terminalExport() ? await this.tokens.usableAppToken(profile) : undefined;
    if (!profile || !token) {
      this.collection.clear();
      return;
    }
    this.collection.replace(ENVIRONMENT_VARIABLES.token, token.accessToken);
    if (profile.subscriptionId) {
      this.collection.replace(ENVIRONMENT_VARIABLES.subscriptionId, profile.subscriptionId);
    } else {
      this.collection.delete(ENVIRONMENT_VARIABLES.subscriptionId);
    }
    this.collection.description = new vscode.MarkdownString(
      `Fortellis Auth: \`${ENVIRONMENT_VARIABLES.token}\` of profile "${profile.name}" (expires ${new Date(token.expiresAt).toLocaleTimeString()}, renewed automatically)${profile.subscriptionId ? ` and \`${ENVIRONMENT_VARIABLES.subscriptionId}\`` : ''}.`,
    );
  }
}
