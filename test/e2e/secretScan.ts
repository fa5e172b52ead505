import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under `dir` whose bytes contain one of the needles, as "file: needle-name". */
export async function filesContaining(dir: string, needles: Record<string, string>): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await allFiles(dir)) {
    const contents = await readFile(file).catch(() => Buffer.alloc(0));
    for (const [name, needle] of Object.entries(needles)) {
      if (needle && contents.includes(needle)) {
        hits.push(`${file}: ${name}`);
      }
    }
  }
  return hits;
}

/**
 * The terminals' token file (FORTELLIS_TOKEN_FILE) under a VS Code user-data folder: the one file outside the workspace
 * the extension keeps the token in on purpose (mode 600, rewritten on every renewal).
 */
export function terminalTokenFile(userDataDir: string): string {
  return join(userDataDir, 'User', 'globalStorage', 'fortellis-auth.fortellis-auth', 'terminal', 'token');
}

/**
 * filesContaining over a VS Code user-data folder, less the tokens in the terminals' token file, which must be readable
 * by its owner only (checked here). An API secret there still counts.
 */
export async function userDataContaining(userDataDir: string, needles: Record<string, string>): Promise<string[]> {
  const tokenFile = terminalTokenFile(userDataDir);
  const hits = await filesContaining(userDataDir, needles);
  if (hits.some((hit) => hit.startsWith(`${tokenFile}: `)) && ((await stat(tokenFile)).mode & 0o777) !== 0o600) {
    return [...hits, `${tokenFile}: not mode 600`];
  }
  return hits.filter((hit) => !hit.startsWith(`${tokenFile}: `) || hit === `${tokenFile}: API secret`);
}

export async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Records what this process writes to stdout and stderr, so the test can check its own output. */
export function recordOutput(): { text(): string; stop(): void } {
  let recorded = '';
  const originals = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const tee = (write: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      recorded += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tee(originals.stdout);
  process.stderr.write = tee(originals.stderr);
  return {
    text: () => recorded,
    stop: () => {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    },
  };
}
