import * as vscode from 'vscode';
import { readsTokenFromDotenv } from '../../core/text/httpFileText';
import type { Log } from '../../platform/log';
import type { TokenAcquirer } from '../../tokenAcquirer/tokenAcquirer';
import type { TokenFiles } from './tokenFileWriter';

const KEEP = 'Keep Token in .env';

/**
 * A .http file that reads the token from the .env beside it ({{$dotenv FORTELLIS_TOKEN}}, as the request snippets and
 * Open as .http write it): REST Client and httpyac send it from the editor only if that .env holds a valid token. This
 * offers, once per folder and session, to keep it there as a token file: written now (private, git-ignored, inside the
 * workspace, never through a link) and on every renewal. Only in a trusted workspace, and only with the user's yes.
 */
export class DotenvOffer {
  private readonly offered = new Set<string>();

  constructor(
    private readonly tokenFiles: TokenFiles,
    private readonly acquirer: TokenAcquirer,
    private readonly log: Log,
  ) {}

  async consider(document: vscode.TextDocument): Promise<void> {
    const { uri } = document;
    if (uri.scheme !== 'file' || !vscode.workspace.isTrusted || !vscode.workspace.getWorkspaceFolder(uri) || !readsTokenFromDotenv(document.getText())) {
      return;
    }
    const dotenv = vscode.Uri.joinPath(uri, '..', '.env');
    if (this.tokenFiles.keeps(dotenv) || this.offered.has(dotenv.toString())) {
      return;
    }
    this.offered.add(dotenv.toString());
    const choice = await this.log.showInformation(
      `${vscode.workspace.asRelativePath(uri)} reads the Fortellis token from ${vscode.workspace.asRelativePath(dotenv)}. Keep the token there? Fortellis Auth writes it (private, git-ignored) and rewrites it on every renewal, so REST Client and httpyac send the file as it is.`,
      KEEP,
    );
    if (choice === KEEP && (await this.acquirer.acquire())) {
      await this.tokenFiles.keep(dotenv, 'add');
    }
  }
}
