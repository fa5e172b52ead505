/**
 * Writing a file the extension keeps fresh (a token file, the .gitignore line) without trusting the workspace:
 * only inside a workspace folder, never through a symlink, never over a file that could not be read, and through a
 * temporary file renamed into place (a rename replaces the directory entry: it never writes through a link).
 * The same rules, less the workspace check, write the terminals' token file in the extension's own storage.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { messageOf } from '../text/errorMessage';

export type SafeWriteRefusal = 'outside-workspace' | 'symlink' | 'not-a-file' | 'unreadable' | 'gone' | 'tracked' | 'write-failed';

export type SafeWriteResult = { readonly written: true } | { readonly written: false; readonly reason: SafeWriteRefusal; readonly message: string };

export interface SafeWriteOptions extends NoLinkWriteOptions {
  /** The open workspace folders (absolute paths): the file must be inside one of them. */
  readonly workspaceFolders: readonly string[];
}

export interface NoLinkWriteOptions {
  /** Absolute path of the file. */
  readonly path: string;
  /** The new text, from the current text (undefined when the file does not exist yet). */
  readonly text: (existing: string | undefined) => string;
  /** true: the file must already exist (a later rewrite: the user may have deleted it on purpose). */
  readonly mustExist?: boolean;
  /** Permissions of the file; undefined: those of the existing file, else 0644. Token files: 0o600. */
  readonly mode?: number;
  /** Whether the current text is needed (a .env keeps its other lines, a .gitignore is appended to). */
  readonly readsExisting?: boolean;
  /**
   * Whether git tracks the file (undefined: not in a work tree, or unknown). A token file git tracks is refused: git
   * commits its changes with the next `git commit -a`, git-ignored or not. Omitted for files that are not secret.
   */
  readonly tracked?: () => Promise<boolean | undefined>;
}

const refuse = (reason: SafeWriteRefusal, message: string): SafeWriteResult => ({ written: false, reason, message });

/** Writes the file, or says (in `message`, naming the file) why it did not. Never throws. */
export async function writeFileSafely(options: SafeWriteOptions): Promise<SafeWriteResult> {
  const path = resolve(options.path);
  if (!(await insideWorkspace(path, options.workspaceFolders))) {
    return refuse(
      'outside-workspace',
      `${path} is outside the workspace folders: Fortellis Auth writes token files only inside the open workspace. Pick a file in it.`,
    );
  }
  return writeFileWithoutLinks({ ...options, path });
}

/**
 * writeFileSafely's rules without the workspace check, for a file in a directory the extension owns (its storage):
 * never through a symlink, never over what is not a regular file, through a temporary file renamed into place.
 * Never throws.
 */
export async function writeFileWithoutLinks(options: NoLinkWriteOptions): Promise<SafeWriteResult> {
  const path = resolve(options.path);
  const name = basename(path);
  let existing: string | undefined;
  let existingMode: number | undefined;
  let stat: import('node:fs').Stats | undefined;
  try {
    stat = await fs.lstat(path);
  } catch (error) {
    if (fileErrorCode(error) !== 'ENOENT') {
      return refuse('unreadable', `${name} could not be read (${fileErrorCode(error) ?? 'error'}), so it was left as it is.`);
    }
  }
  if (!stat) {
    if (options.mustExist) {
      return refuse('gone', `${name} no longer exists, so Fortellis Auth stopped writing the token to it.`);
    }
  } else if (stat.isSymbolicLink()) {
    return refuse(
      'symlink',
      `${name} is a symbolic link: Fortellis Auth does not write a token through a link (it could point anywhere). Pick a regular file.`,
    );
  } else if (!stat.isFile()) {
    return refuse('not-a-file', `${name} is not a regular file, so it was left as it is.`);
  } else {
    existingMode = stat.mode & 0o777;
    if (options.readsExisting) {
      try {
        existing = await readNoFollow(path);
      } catch (error) {
        return refuse(
          'unreadable',
          `${name} could not be read (${fileErrorCode(error) ?? 'error'}), so it was left as it is: its other entries would have been lost.`,
        );
      }
    }
  }
  if (await options.tracked?.()) {
    return refuse(
      'tracked',
      `${name} is tracked by git: writing the token there would publish it with your next commit. Pick another file, or untrack it first (\`git rm --cached ${name}\` in its folder).`,
    );
  }
  let text: string;
  try {
    text = options.text(existing);
  } catch (error) {
    return refuse('write-failed', `${name} was left as it is: ${messageOf(error)}`);
  }
  const mode = options.mode ?? existingMode ?? 0o644;
  const temporary = join(dirname(path), `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    // O_EXCL: a file (or link) already at the temporary name is never written through.
    handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    await handle.writeFile(text, 'utf8');
    await handle.chmod(mode); // the umask may have taken bits off; chmod sets exactly these.
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temporary, path);
    return { written: true };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    return refuse('write-failed', `${name} could not be written (${fileErrorCode(error) ?? 'error'}).`);
  }
}

async function readNoFollow(path: string): Promise<string> {
  // O_NOFOLLOW where the platform has it (not Windows): a link swapped in after lstat is not followed.
  const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Whether the file's directory, with every link in it resolved, is inside a workspace folder (links resolved too). */
export async function insideWorkspace(path: string, workspaceFolders: readonly string[]): Promise<boolean> {
  let directory: string;
  try {
    directory = await fs.realpath(dirname(resolve(path)));
  } catch {
    return false;
  }
  for (const folder of workspaceFolders) {
    let root: string;
    try {
      root = await fs.realpath(folder);
    } catch {
      continue;
    }
    const inside = relative(root, directory);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
      return true;
    }
  }
  return false;
}

/** A file system error's code (ENOENT, EACCES…), if it has one. */
export function fileErrorCode(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | undefined)?.code;
  return typeof value === 'string' ? value : undefined;
}
