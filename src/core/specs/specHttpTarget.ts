/**
 * Where "Open as .http" writes: `<spec name>.http` next to the spec, or -2, -3… when a name is taken. A name is taken
 * when anything is there, a link too (lstat: a dangling `spec.http` link is not free, so it never redirects the
 * write). The write itself goes through writeFileSafely (inside the workspace, no link, temporary file renamed).
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const MAX_CANDIDATES = 1000;

/** The first free `<name>[-n].http` next to `specPath`, or undefined when none of the first 1000 is. */
export async function freeFileNextTo(specPath: string): Promise<string | undefined> {
  const name = basename(specPath).replace(/\.(ya?ml|json)$/i, '');
  for (let index = 1; index <= MAX_CANDIDATES; index++) {
    const candidate = join(dirname(specPath), `${name}${index === 1 ? '' : `-${index}`}.http`);
    try {
      await fs.lstat(candidate);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') {
        return candidate;
      }
    }
  }
  return undefined;
}
