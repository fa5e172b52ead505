/**
 * Asking git about a file in a repository the user may not trust: git found on PATH outside the workspace (never a
 * git.exe at the repository's root, never a relative PATH entry), and every repository setting that makes git run
 * a program switched off on the command line (which overrides .git/config).
 */
import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';

/** `-c` overrides for settings of .git/config that run a program, or make a read-only query write. */
export const SAFE_GIT_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=',
  'core.untrackedCache=false',
  'core.pager=cat',
  'core.sshCommand=',
  'core.askPass=',
  'credential.helper=',
  'diff.external=',
  'protocol.allow=never',
];

export interface GitLocator {
  readonly pathVariable: string | undefined;
  readonly platform: NodeJS.Platform;
  /** Folders git must not come from: the workspace folders. */
  readonly untrustedFolders: readonly string[];
}

/** The absolute path of git from PATH, skipping relative entries and any inside the workspace; undefined without one. */
export async function locateGit({ pathVariable, platform, untrustedFolders }: GitLocator): Promise<string | undefined> {
  const names = platform === 'win32' ? ['git.exe'] : ['git'];
  const separator = platform === 'win32' ? ';' : delimiter;
  for (const entry of (pathVariable ?? '').split(separator)) {
    const folder = entry.replace(/^"(.*)"$/, '$1');
    if (!folder || !isAbsolute(folder) || untrustedFolders.some((untrusted) => isInside(folder, untrusted))) {
      continue;
    }
    for (const name of names) {
      const candidate = join(folder, name);
      try {
        const stat = await fs.stat(candidate);
        if (stat.isFile()) {
          if (platform !== 'win32') {
            await fs.access(candidate, constants.X_OK);
          }
          return candidate;
        }
      } catch {
        // Not here: the next PATH entry.
      }
    }
  }
  return undefined;
}

function isInside(path: string, folder: string): boolean {
  const inside = relative(folder, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

export interface GitRun {
  readonly code: number | undefined;
  readonly stdout: string;
}

/** Runs `git <args>` in the file's folder with the overrides above and no terminal prompt. */
export function runSafeGit(git: string, cwd: string, args: readonly string[]): Promise<GitRun> {
  const overrides = SAFE_GIT_CONFIG.flatMap((setting) => ['-c', setting]);
  return new Promise((resolve) => {
    execFile(
      git,
      [...overrides, ...args],
      {
        cwd,
        windowsHide: true,
        timeout: 10_000,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', GIT_EXTERNAL_DIFF: '', GIT_SSH_COMMAND: '' },
      },
      (error, stdout) => {
        const exit = error ? (error as { code?: unknown }).code : 0;
        resolve({ code: typeof exit === 'number' ? exit : undefined, stdout: String(stdout) });
      },
    );
  });
}

/** true/false when the file is in a git work tree; undefined outside one (or when git cannot tell). */
export async function safeGitIgnores(git: string, path: string): Promise<boolean | undefined> {
  const { code } = await runSafeGit(git, dirname(path), ['check-ignore', '-q', '--', path]);
  return code === 0 ? true : code === 1 ? false : undefined;
}

/**
 * true when git tracks the file (in the index: committed, staged, or deleted but not yet removed), so that `git commit
 * -a` would commit what is written to it, git-ignored or not; false when it does not; undefined outside a work tree (or
 * when git cannot tell). The path is a literal path, never a pattern, matched ignoring case: where the file system folds
 * case (macOS, Windows) a tracked .ENV is the file written as .env; elsewhere this only errs on the safe side.
 */
export async function safeGitTracks(git: string, path: string): Promise<boolean | undefined> {
  const { code } = await runSafeGit(git, dirname(path), ['ls-files', '--error-unmatch', '--', `:(literal,icase)${path}`]);
  return code === 0 ? true : code === 1 ? false : undefined;
}

/** The work tree's root folder, or undefined outside one. */
export async function safeGitRoot(git: string, path: string): Promise<string | undefined> {
  const { code, stdout } = await runSafeGit(git, dirname(path), ['rev-parse', '--show-toplevel']);
  return code === 0 && stdout.trim() ? stdout.trim() : undefined;
}
