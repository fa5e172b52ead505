import * as vscode from 'vscode';
import { locateGit, safeGitIgnores, safeGitRoot, safeGitTracks } from '../../core/tokenExport/safeGit';
import type { Log } from '../../platform/log';
import { messageOf } from '../../core/text/errorMessage';

/** The part of the built-in Git extension's API (vscode.git, API version 1) used here. */
interface GitApi {
  getRepository(uri: vscode.Uri): { readonly rootUri: vscode.Uri; checkIgnore(paths: string[]): Promise<Set<string>> } | null;
}

/**
 * git questions about a token file. The built-in Git extension answers when it has the repository open (it runs git
 * the way the user set it up, and only in trusted workspaces); otherwise git from PATH outside the workspace, with
 * the repository's program-running settings overridden (see core/tokenExport/safeGit). Never in Restricted Mode.
 */
export async function gitIgnores(path: string, log: Log): Promise<boolean | undefined> {
  if (!vscode.workspace.isTrusted) {
    return undefined;
  }
  const repository = builtInGit()?.getRepository(vscode.Uri.file(path));
  if (repository) {
    try {
      return (await repository.checkIgnore([path])).size > 0;
    } catch (error) {
      log.warn(`The Git extension could not tell whether ${path} is git-ignored: ${messageOf(error)}`);
    }
  }
  const git = await gitExecutable();
  return git ? safeGitIgnores(git, path) : undefined;
}

/**
 * Whether git tracks the file. Always git from PATH as above: the Git extension's API has no equivalent of
 * `git ls-files` (its checkIgnore answers a different question: a tracked file can be git-ignored too).
 */
export async function gitTracks(path: string): Promise<boolean | undefined> {
  if (!vscode.workspace.isTrusted) {
    return undefined;
  }
  const git = await gitExecutable();
  return git ? safeGitTracks(git, path) : undefined;
}

export async function gitRoot(path: string, log: Log): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    return undefined;
  }
  const repository = builtInGit()?.getRepository(vscode.Uri.file(path));
  if (repository) {
    return repository.rootUri.fsPath;
  }
  const git = await gitExecutable();
  if (!git) {
    log.warn("git was not found on PATH outside the workspace: the token file's git status is not checked.");
    return undefined;
  }
  return safeGitRoot(git, path);
}

function builtInGit(): GitApi | undefined {
  const extension = vscode.extensions.getExtension<{ enabled?: boolean; getAPI(version: 1): GitApi }>('vscode.git');
  if (!extension?.isActive || extension.exports?.enabled === false) {
    return undefined;
  }
  try {
    return extension.exports.getAPI(1);
  } catch {
    return undefined;
  }
}

function gitExecutable(): Promise<string | undefined> {
  return locateGit({
    pathVariable: process.env.PATH,
    platform: process.platform,
    untrustedFolders: (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath),
  });
}
