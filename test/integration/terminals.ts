/**
 * What an integrated terminal sees, read as a user would: a bash in a new terminal runs a command, and its output comes
 * back through a file in the workspace folder. Tokens are compared by fingerprint, never printed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

/** A new integrated terminal running bash without the user's start-up files. */
export function bashTerminal(name: string): vscode.Terminal {
  return vscode.window.createTerminal({ name, shellPath: '/bin/bash', shellArgs: ['--noprofile', '--norc'] });
}

/** What `command` prints in `terminal`, through a file in the workspace named after `name`. */
export async function printedIn(terminal: vscode.Terminal, name: string, command: string): Promise<string> {
  const out = join(folder(), `.terminal-${name}.txt`);
  terminal.sendText(`{ ${command}; } > '${out}.tmp'; mv '${out}.tmp' '${out}'`);
  const deadline = Date.now() + 30_000;
  while (!existsSync(out)) {
    assert.ok(Date.now() < deadline, 'the terminal ran the command');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return readFileSync(out, 'utf8');
}

/** What a new integrated terminal sees: the fingerprints of $FORTELLIS_TOKEN and $FORTELLIS_SUBSCRIPTION_ID. */
export async function terminalSees(name: string): Promise<{ token: string; subscriptionId: string }> {
  const terminal = bashTerminal(name);
  try {
    const text = await printedIn(terminal, name, `printf '%s' "$FORTELLIS_TOKEN" | sha256sum | cut -c1-64; printf '%s' "$FORTELLIS_SUBSCRIPTION_ID"`);
    return { token: text.slice(0, 64), subscriptionId: text.slice(65) };
  } finally {
    terminal.dispose();
  }
}

/**
 * The fingerprint of $FORTELLIS_TOKEN in new terminals once it is `expected`: terminals get a new token when its
 * change event reaches the environment collection, a moment after the command that changed it returns. Tries for 5 s.
 */
export async function terminalTokenOnceItIs(name: string, expected: string): Promise<string> {
  let seen = await terminalSees(`${name}-1`);
  for (let attempt = 2; seen.token !== expected && attempt <= 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seen = await terminalSees(`${name}-${attempt}`);
  }
  return seen.token;
}
