import { dirname, relative } from 'node:path';
import * as vscode from 'vscode';
import { writeFileSafely } from '../../core/tokenExport/safeFileWrite';
import { tokenFileFormat, tokenFileText } from '../../core/tokenExport/tokenFileContent';
import { systemClock } from '../../core/tokens/clock';
import type { Log } from '../../platform/log';
import type { CommandHandler } from '../../platform/registerCommands';
import type { TokenAcquirer } from '../../tokenAcquirer/tokenAcquirer';
import { TOKEN_FILES_KEY } from './tokenFileList';
import type { Settings } from '../../platform/settings/settings';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { TokenChoice } from '../../platform/tokenChoice';
import { gitIgnores, gitRoot, gitTracks } from './workspaceGit';
import { whenTrusted } from './workspaceTrust';

export type TokenExportCommand = 'writeTokenToFile' | 'stopWritingTokenFiles';

/** Token files are readable by the user only. */
const TOKEN_FILE_MODE = 0o600;

/**
 * "Fortellis: Write Token to File": a JSON file (what the tutorials' currentToken.json is for) or a .env entry with the
 * active profile's token, rewritten whenever the token is renewed while VS Code runs. Only inside the workspace, never
 * through a link, and only once the user trusts the workspace.
 */
export class TokenFiles {
  constructor(
    private readonly state: vscode.Memento,
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly choice: TokenChoice,
    private readonly log: Log,
  ) {}

  /** The token each file holds (by when it was received), so that only a new token rewrites a file. */
  private readonly written = new Map<string, number>();

  private waitingForTrustLogged = false;

  handlers(acquirer: TokenAcquirer): Record<TokenExportCommand, CommandHandler> {
    return {
      writeTokenToFile: async () => {
        if (await acquirer.acquire()) {
          await this.writeTokenToFile();
        }
      },
      stopWritingTokenFiles: () => this.stopWritingTokenFiles(),
    };
  }

  /** Asks where, writes the file, and keeps it fresh from then on. Call with a usable token in the cache. */
  private async writeTokenToFile(): Promise<void> {
    if (!(await whenTrusted('Token files', this.log))) {
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Fortellis: keep the token in this file',
      saveLabel: 'Keep Token Here',
      defaultUri: folder && vscode.Uri.joinPath(folder, 'currentToken.json'),
      filters: { JSON: ['json'], 'dotenv (.env)': ['env'] },
    });
    if (target) {
      await this.keep(target, 'ask');
    }
  }

  /** Whether `file` is one this workspace keeps the token in. */
  keeps(file: vscode.Uri): boolean {
    return this.files().includes(file.toString());
  }

  /**
   * Writes the token to `target` now and on every renewal. `ignore`: 'ask' offers to git-ignore a file git would
   * commit; 'add' git-ignores it (the user agreed to a private, git-ignored file already). Call with a usable token in
   * the cache, in a trusted workspace.
   */
  async keep(target: vscode.Uri, ignore: 'ask' | 'add'): Promise<void> {
    if (!(await this.write(target, true))) {
      return;
    }
    const files = this.files().filter((file) => file !== target.toString());
    await this.state.update(TOKEN_FILES_KEY, [...files, target.toString()]);
    void this.log.showInformation(
      `Fortellis token written to ${vscode.workspace.asRelativePath(target)}; it is rewritten on every renewal while VS Code runs.`,
    );
    await this.ignoreInGit(target, ignore);
  }

  private async stopWritingTokenFiles(): Promise<void> {
    const files = this.files();
    if (files.length === 0) {
      void this.log.showInformation('No token file is kept fresh in this workspace.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      files.map((file) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(file)), file, picked: true })),
      { title: 'Fortellis: stop writing the token to these files', canPickMany: true },
    );
    if (!picked || picked.length === 0) {
      return;
    }
    const stopped = new Set(picked.map((item) => item.file));
    await this.forget(stopped);
    void this.log.showInformation(
      `Stopped writing the Fortellis token to ${picked.map((item) => item.label).join(', ')}. The files stay as they are: delete them if you no longer need them.`,
    );
  }

  /** The token changed (renewal, sign-out, another profile): rewrite every file. Nothing until the workspace is trusted. */
  async update(): Promise<void> {
    if (this.files().length === 0) {
      return;
    }
    if (!vscode.workspace.isTrusted) {
      if (!this.waitingForTrustLogged) {
        this.waitingForTrustLogged = true;
        this.log.info('Token files wait until this workspace is trusted: they are not rewritten in Restricted Mode.');
      }
      return;
    }
    await Promise.all(this.files().map((file) => this.write(vscode.Uri.parse(file))));
  }

  private files(): string[] {
    return this.state.get<string[]>(TOKEN_FILES_KEY, []);
  }

  private async forget(files: ReadonlySet<string>): Promise<void> {
    await this.state.update(
      TOKEN_FILES_KEY,
      this.files().filter((file) => !files.has(file)),
    );
  }

  /** `first`: the file the user just picked (it may be new); later writes need the file still there. */
  private async write(file: vscode.Uri, first = false): Promise<boolean> {
    const profile = this.settings.activeProfile();
    const token = profile && (await this.choice.usableToken(this.tokens, profile));
    if (!token || (!first && this.written.get(file.toString()) === token.receivedAt)) {
      return false;
    }
    const format = tokenFileFormat(file.path);
    const result =
      file.scheme !== 'file'
        ? {
            written: false as const,
            reason: 'outside-workspace' as const,
            message: `${file.toString()} is not a local file: Fortellis Auth writes token files only inside the open workspace.`,
          }
        : await writeFileSafely({
            path: file.fsPath,
            workspaceFolders: workspaceFolderPaths(),
            text: (existing) => tokenFileText(format, token, systemClock.now(), existing),
            mode: TOKEN_FILE_MODE,
            mustExist: !first,
            readsExisting: format === 'dotenv',
            // On every write: a branch switch can turn a git-ignored token file into a tracked one.
            tracked: () => gitTracks(file.fsPath),
          });
    if (result.written) {
      this.written.set(file.toString(), token.receivedAt);
      this.log.info(`Wrote the token of "${profile.name}" to ${file.fsPath} (${format}, mode 600): expires ${new Date(token.expiresAt).toISOString()}.`);
      return true;
    }
    if (!first && result.reason !== 'write-failed') {
      // Deleted, replaced by a link, or unreadable: the file is no longer one the user asked for.
      await this.forget(new Set([file.toString()]));
    }
    this.log.warn(`Did not write the token to ${file.fsPath}: ${result.message}`);
    void (result.reason === 'gone' ? this.log.showInformation(`Fortellis: ${result.message}`) : this.log.showError(`Fortellis: ${result.message}`));
    return false;
  }

  /** A token file that git would commit leaks the token: git-ignore it, or say so and offer to. */
  private async ignoreInGit(file: vscode.Uri, consent: 'ask' | 'add'): Promise<void> {
    if (file.scheme !== 'file' || (await gitIgnores(file.fsPath, this.log)) !== false) {
      return;
    }
    const name = vscode.workspace.asRelativePath(file);
    if (
      consent === 'ask' &&
      (await this.log.showWarning(`${name} is not git-ignored: committing it would publish a token. Add it to .gitignore?`, 'Add to .gitignore')) !==
        'Add to .gitignore'
    ) {
      return;
    }
    const root = await gitRoot(file.fsPath, this.log);
    if (!root) {
      return;
    }
    // A .gitignore nearer to the file can un-ignore it (`!.env`): then the one beside it, the deepest, has the last word.
    const beside = dirname(file.fsPath);
    for (const folder of beside === root ? [root] : [root, beside]) {
      if (!(await this.addToGitignore(folder, file)) || (await gitIgnores(file.fsPath, this.log)) !== false) {
        return;
      }
    }
  }

  /** Appends the file's entry to the .gitignore in `folder`; false (and says why) when it could not. */
  private async addToGitignore(folder: string, file: vscode.Uri): Promise<boolean> {
    const ignore = vscode.Uri.file(`${folder}/.gitignore`);
    const entry = `/${relative(folder, file.fsPath).split('\\').join('/')}`;
    const result = await writeFileSafely({
      path: ignore.fsPath,
      workspaceFolders: workspaceFolderPaths(),
      text: (current = '') => `${current}${current && !current.endsWith('\n') ? '\n' : ''}${entry}\n`,
      readsExisting: true,
    });
    if (result.written) {
      void this.log.showInformation(`Added ${entry} to ${vscode.workspace.asRelativePath(ignore)}.`);
      return true;
    }
    this.log.warn(`Did not add ${entry} to ${ignore.fsPath}: ${result.message}`);
    void this.log.showError(`Fortellis: ${entry} was not added to .gitignore: ${result.message}`);
    return false;
  }
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}
