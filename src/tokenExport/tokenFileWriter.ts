import { execFile } from 'node:child_process';
import { dirname, relative } from 'node:path';
import * as vscode from 'vscode';
import { tokenFileFormat, tokenFileText } from '../core/tokenExport/tokenFileContent';
import type { Log } from '../log';
import { TOKEN_FILES_KEY } from './tokenFileList';
import type { Settings } from '../settings';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';


/**
 * "Fortellis: Write Token to File": a JSON file (what the tutorials' currentToken.json is for) or a .env entry with the
 * active profile's token, rewritten whenever the token is renewed while VS Code runs.
 */
export class TokenFiles {
  constructor(
    private readonly state: vscode.Memento,
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    private readonly log: Log,
  ) {}

  /** The token each file holds (by when it was received), so that only a new token rewrites a file. */
  private readonly written = new Map<string, number>();

  /** Asks where, writes the file, and keeps it fresh from then on. Call with a usable token in the cache. */
  async writeTokenToFile(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Fortellis: keep the token in this file',
      saveLabel: 'Keep Token Here',
      defaultUri: folder && vscode.Uri.joinPath(folder, 'currentToken.json'),
      filters: { JSON: ['json'], 'dotenv (.env)': ['env'] },
    });
    if (!target) {
      return;
    }
    const files = this.files().filter((file) => file !== target.toString());
    await this.state.update(TOKEN_FILES_KEY, [...files, target.toString()]);
    if (await this.write(target, true)) {
      void vscode.window.showInformationMessage(`Fortellis token written to ${vscode.workspace.asRelativePath(target)}; it is rewritten on every renewal while VS Code runs.`);
      await this.warnIfNotIgnored(target);
    }
  }

  async stopWritingTokenFiles(): Promise<void> {
    const files = this.files();
    if (files.length === 0) {
      void vscode.window.showInformationMessage('No token file is kept fresh in this workspace.');
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
    await this.state.update(TOKEN_FILES_KEY, files.filter((file) => !stopped.has(file)));
    void vscode.window.showInformationMessage(`Stopped writing the Fortellis token to ${picked.map((item) => item.label).join(', ')}. The files stay as they are: delete them if you no longer need them.`);
  }

  /** The token changed (renewal, sign-out, another profile): rewrite every file. */
  async update(): Promise<void> {
    await Promise.all(this.files().map((file) => this.write(vscode.Uri.parse(file))));
  }

  private files(): string[] {
    return this.state.get<string[]>(TOKEN_FILES_KEY, []);
  }

  private async write(file: vscode.Uri, always = false): Promise<boolean> {
    const profile = this.settings.activeProfile();
    const token = profile && (await this.tokens.usableAppToken(profile));
    if (!token || (!always && this.written.get(file.toString()) === token.receivedAt)) {
      return false;
    }
    this.written.set(file.toString(), token.receivedAt);
    const format = tokenFileFormat(file.path);
    try {
      const existing = format === 'dotenv' ? await readText(file) : '';
      await vscode.workspace.fs.writeFile(file, Buffer.from(tokenFileText(format, token, Date.now(), existing), 'utf8'));
      this.log.info(`Wrote the token of "${profile.name}" to ${file.fsPath} (${format}): expires ${new Date(token.expiresAt).toISOString()}.`);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Could not write the token to ${file.fsPath}: ${message}`);
      void vscode.window.showErrorMessage(`Fortellis: could not write the token to ${file.fsPath}: ${message}`);
      return false;
    }
  }

  /** A token file that git would commit leaks the token: say so, and offer to ignore it. */
  private async warnIfNotIgnored(file: vscode.Uri): Promise<void> {
    if (file.scheme !== 'file' || (await gitIgnores(file.fsPath)) !== false) {
      return;
    }
    const name = vscode.workspace.asRelativePath(file);
    const choice = await vscode.window.showWarningMessage(
      `${name} is not git-ignored: committing it would publish a token. Add it to .gitignore?`,
      'Add to .gitignore',
    );
    if (choice === 'Add to .gitignore') {
      const root = await gitRoot(file.fsPath);
      if (root) {
        const ignore = vscode.Uri.file(`${root}/.gitignore`);
        const current = await readText(ignore);
        const entry = `/${relative(root, file.fsPath).split('\\').join('/')}`;
        await vscode.workspace.fs.writeFile(ignore, Buffer.from(`${current}${current && !current.endsWith('\n') ? '\n' : ''}${entry}\n`, 'utf8'));
        void vscode.window.showInformationMessage(`Added ${entry} to ${vscode.workspace.asRelativePath(ignore)}.`);
      }
    }
  }
}

async function readText(file: vscode.Uri): Promise<string> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
  } catch {
    return '';
  }
}

/** true/false when the file is in a git work tree; undefined outside one (or without git). */
function gitIgnores(path: string): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['check-ignore', '-q', path], { cwd: dirname(path) }, (error) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      resolve(code === 0 ? true : code === 1 ? false : undefined);
    });
  });
}

function gitRoot(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--show-toplevel'], { cwd: dirname(path) }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}
