import * as vscode from 'vscode';
import { ENVIRONMENT_VARIABLES } from '../../core/tokenExport/environmentVariables';
import { TOKEN_SUBJECT_LABELS } from '../../core/tokens/tokenSubject';
import type { Settings } from '../../platform/settings/settings';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { TokenChoice } from '../../platform/tokenChoice';

/**
 * FORTELLIS_TOKEN, FORTELLIS_TOKEN_FILE and FORTELLIS_SUBSCRIPTION_ID in integrated terminals, for the active profile:
 * what generated snippets read. The token is the one Choose Token… picked: the app's or the signed-in user's. Updated whenever the token changes; VS Code offers to relaunch terminals started
 * before. A terminal started before keeps its FORTELLIS_TOKEN, but FORTELLIS_TOKEN_FILE names the same file, which is
 * rewritten with every new token: the snippets read it first. The collection is not persistent, so VS Code never writes
 * the token to disk; the file is in the extension's global storage (one per user, like the active profile setting),
 * never in a workspace, mode 0600, and removed when there is no token to give.
 */
export class TerminalEnvironment {
  private updates: Promise<void> = Promise.resolve();
  /** The file's writer, its own bundle (dist/terminalTokenFile.js), loaded at the first update: not at activation. */
  private fileWriter?: Promise<typeof import('../../core/tokenExport/terminalTokenFile')>;

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly choice: TokenChoice,
    private readonly storageDirectory: string,
  ) {
    collection.persistent = false;
  }

  /**
   * One update at a time, each reading the token when it starts, so the last one to finish wrote the latest token.
   * Throws (after updating the terminals) when the token file could not be written or removed: the log says why.
   */
  update(): Promise<void> {
    const next = this.updates.then(() => this.apply());
    this.updates = next.catch(() => undefined);
    return next;
  }

  private async apply(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      // Restricted Mode: terminals of a workspace the user does not trust yet get no token. The file is left to the
      // trusted windows, whose terminals read it.
      this.collection.clear();
      this.collection.description = new vscode.MarkdownString(
        `Fortellis Auth: \`${ENVIRONMENT_VARIABLES.token}\` waits until you trust this workspace (Restricted Mode).`,
      );
      return;
    }
    const { removeTerminalTokenFile, terminalTokenFilePath, writeTerminalTokenFile } = await (this.fileWriter ??=
      import('../../core/tokenExport/terminalTokenFile.js'));
    const tokenFile = terminalTokenFilePath(this.storageDirectory);
    const profile = this.settings.activeProfile();
    const token = profile && this.settings.terminalExport() ? await this.choice.usableToken(this.tokens, profile) : undefined;
    if (!profile || !token) {
      this.collection.clear();
      const problem = await removeTerminalTokenFile(tokenFile);
      if (problem) {
        throw new Error(problem);
      }
      return;
    }
    const written = await writeTerminalTokenFile(tokenFile, token.accessToken);
    this.collection.replace(ENVIRONMENT_VARIABLES.token, token.accessToken);
    if (written.written) {
      this.collection.replace(ENVIRONMENT_VARIABLES.tokenFile, tokenFile);
    } else {
      this.collection.delete(ENVIRONMENT_VARIABLES.tokenFile);
    }
    if (profile.subscriptionId) {
      this.collection.replace(ENVIRONMENT_VARIABLES.subscriptionId, profile.subscriptionId);
    } else {
      this.collection.delete(ENVIRONMENT_VARIABLES.subscriptionId);
    }
    this.collection.description = new vscode.MarkdownString(
      `Fortellis Auth: \`${ENVIRONMENT_VARIABLES.token}\`, ${TOKEN_SUBJECT_LABELS[this.choice.subjectOf(profile)]} of profile "${profile.name}" (expires ${new Date(token.expiresAt).toLocaleTimeString()}, renewed automatically)${written.written ? `, \`${ENVIRONMENT_VARIABLES.tokenFile}\` (the file that always holds the current one)` : ''}${profile.subscriptionId ? ` and \`${ENVIRONMENT_VARIABLES.subscriptionId}\`` : ''}.`,
    );
    if (!written.written) {
      throw new Error(`${written.message} Terminals have ${ENVIRONMENT_VARIABLES.token} only, which a renewal does not reach in open terminals.`);
    }
  }
}
