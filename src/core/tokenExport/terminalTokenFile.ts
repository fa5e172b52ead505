/**
 * The terminals' token file: the active profile's app token, in the extension's own storage (never a workspace),
 * rewritten on every token change. Terminals get its path in FORTELLIS_TOKEN_FILE, which never changes, so a terminal
 * opened before a renewal reads the renewed token from it, where its FORTELLIS_TOKEN is the old one.
 */
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileErrorCode, type SafeWriteResult, writeFileWithoutLinks } from './safeFileWrite';

/** The file's path: nothing in it is secret. */
export function terminalTokenFilePath(storageDirectory: string): string {
  return join(storageDirectory, 'terminal', 'token');
}

/**
 * Writes the token (nothing else, no line break) into the file, mode 0600, in a directory of mode 0700 made if
 * needed; never through a link, the directory included. Says why it did not write; never throws.
 */
export async function writeTerminalTokenFile(path: string, accessToken: string): Promise<SafeWriteResult> {
  const directory = dirname(path);
  try {
    await fs.mkdir(directory, { recursive: true, mode: 0o700 });
    const stat = await fs.lstat(directory);
    if (!stat.isDirectory()) {
      return {
        written: false,
        reason: stat.isSymbolicLink() ? 'symlink' : 'not-a-file',
        message: `${directory} is not a directory of Fortellis Auth's own (it is a link or a file), so the terminals' token file was not written there.`,
      };
    }
    // mkdir leaves an existing directory's mode as it is, and the umask may have taken bits off a new one.
    await fs.chmod(directory, 0o700);
  } catch (error) {
    return { written: false, reason: 'write-failed', message: `${directory} could not be made private (${fileErrorCode(error) ?? 'error'}).` };
  }
  return writeFileWithoutLinks({ path, text: () => accessToken, mode: 0o600 });
}

/** Removes the file if it is there (a link is removed, never followed). Never throws: says why it could not. */
export async function removeTerminalTokenFile(path: string): Promise<string | undefined> {
  try {
    await fs.unlink(path);
    return undefined;
  } catch (error) {
    return fileErrorCode(error) === 'ENOENT' ? undefined : `The terminals' token file ${path} could not be removed (${fileErrorCode(error) ?? 'error'}).`;
  }
}
