/**
 * The response views of the request history, kept so that a past response opens again: one file each in the
 * extension's own storage (never a workspace), mode 0600 in a 0700 folder, the text already without tokens or secrets
 * (the caller redacts it). A file is named by the history; a name that is not one of ours is never read or removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How long a file no history entry names yet is left alone (another window may be storing its entry). */
export const ARCHIVE_GRACE_MS = 60_000;

/** A longer response view is cut here in the archive, and says so. */
export const MAX_ARCHIVED_CHARS = 1024 * 1024;

const FILE_NAME = /^[0-9a-f-]{36}\.txt$/;

/** Whether `name` can be a file of the archive (a history read from global state is checked with it). */
export function isArchiveName(name: unknown): name is string {
  return typeof name === 'string' && FILE_NAME.test(name);
}

export class ResponseArchive {
  constructor(private readonly directory: string) {}

  /** Keeps `text` (at most MAX_ARCHIVED_CHARS of it); returns its name. */
  async save(text: string): Promise<string> {
    const name = `${randomUUID()}.txt`;
    const kept =
      text.length > MAX_ARCHIVED_CHARS
        ? `${text.slice(0, MAX_ARCHIVED_CHARS)}\n// … cut here: the history keeps the first ${MAX_ARCHIVED_CHARS / 1024 / 1024} MB of a response.\n`
        : text;
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writeFile(join(this.directory, name), kept, { mode: 0o600, flag: 'wx' });
    return name;
  }

  /** The text kept under `name`, or undefined when it is gone. */
  async read(name: string): Promise<string | undefined> {
    if (!isArchiveName(name)) {
      return undefined;
    }
    return readFile(join(this.directory, name), 'utf8').catch(() => undefined);
  }

  /**
   * Removes every file of the archive but `names`, and those written in the last `graceMs`: another window may have
   * saved one whose history entry it has not stored yet.
   */
  async keepOnly(names: ReadonlySet<string>, graceMs = ARCHIVE_GRACE_MS): Promise<void> {
    const present = await readdir(this.directory).catch(() => [] as string[]);
    const cutoff = Date.now() - graceMs;
    await Promise.all(
      present
        .filter((name) => isArchiveName(name) && !names.has(name))
        .map(async (name) => {
          const path = join(this.directory, name);
          const written = await stat(path).then(
            (stats) => stats.mtimeMs,
            () => undefined,
          );
          if (written !== undefined && written <= cutoff) {
            await rm(path, { force: true });
          }
        }),
    );
  }
}
