import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json, found from this file whether it runs from test/host or out/test/host. */
export const repoRoot: string = findUp(__dirname);

function findUp(from: string): string {
  if (existsSync(join(from, 'package.json'))) {
    return from;
  }
  const parent = dirname(from);
  if (parent === from) {
    throw new Error(`No package.json above ${__dirname}`);
  }
  return findUp(parent);
}
