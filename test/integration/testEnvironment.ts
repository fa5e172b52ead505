import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FortellisAuthApi } from '../../src/extension';
import type { ApiRequestRecord } from '../sandbox/apiServer';
import { ScriptedUser } from './userInput';

/** What the runner passes to the extension host: the sandbox's demo app and where phases leave notes. */
export const testApp = {
  apiKey: required('FORTELLIS_TEST_API_KEY'),
  apiSecret: required('FORTELLIS_TEST_API_SECRET'),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the integration tests through test/host/runIntegrationTests`);
  }
  return value;
}

/** Token requests the sandbox authorization server has answered so far. */
export async function sandboxTokenRequests(): Promise<number> {
  const response = await fetch(required('FORTELLIS_TEST_SANDBOX_STATS_URL'));
  return ((await response.json()) as { tokenRequests: number }).tokenRequests;
}

export async function extensionApi(): Promise<FortellisAuthApi> {
  const extension = vscode.extensions.getExtension<FortellisAuthApi>('fortellis-auth.fortellis-auth');
  if (!extension) {
    throw new Error('The extension under test is not loaded');
  }
  return extension.activate();
}

/**
 * Polls `probe` every 50 ms until it gives something other than undefined, and returns that; after `timeoutMs` throws
 * "Timed out waiting for <what>". The workbench answers commands with events, so tests wait for what a user would see.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the status bar shows what the test expects (it updates on events, not synchronously). */
export async function statusBarText(api: FortellisAuthApi, expected: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!expected.test(api.status().statusBarText)) {
    if (Date.now() > deadline) {
      throw new Error(`The status bar shows "${api.status().statusBarText}", not ${expected}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return api.status().statusBarText;
}

/** A token's fingerprint, so a phase after a reload can compare tokens without writing one to disk. */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const notesFile = () => join(required('FORTELLIS_TEST_STATE_DIR'), 'phase-notes.json');

export function leaveNote(note: Record<string, unknown>): void {
  writeFileSync(notesFile(), JSON.stringify(note));
}

export function readNote(): Record<string, unknown> {
  return JSON.parse(readFileSync(notesFile(), 'utf8')) as Record<string, unknown>;
}

export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The quick pick of recent URLs (once there are some) answered with "Enter a URL…". */
export const NEW_URL = { pickIfAsked: 'Enter a URL' };

/** Where the sandbox's Fortellis-like API is: the setting the runner gave the extension. */
export function sandboxApiBaseUrl(): string {
  return vscode.workspace.getConfiguration('fortellis').get<string>('sandbox.apiBaseUrl', '');
}

/** What the sandbox's API has seen so far (never tokens: whether each request was authenticated). */
export async function apiRequests(): Promise<ApiRequestRecord[]> {
  const response = await fetch(required('FORTELLIS_TEST_API_REQUESTS_URL'));
  return (await response.json()) as ApiRequestRecord[];
}

/** The active profile's token, as "Copy Token" puts it on the clipboard. */
export async function copiedToken(): Promise<string> {
  const user = new ScriptedUser([]);
  try {
    await vscode.commands.executeCommand('fortellis.copyToken');
  } finally {
    user.dispose();
  }
  return vscode.env.clipboard.readText();
}

/** A "sandbox" profile with Subscription-Id "test" and its token, added through "Get Fortellis Token" if there is none. */
export async function ensureSandboxProfile(): Promise<void> {
  if ((vscode.workspace.getConfiguration('fortellis').get<unknown[]>('profiles') ?? []).length > 0) {
    return;
  }
  const user = new ScriptedUser(['Local sandbox', 'sandbox', testApp.apiKey, testApp.apiSecret, 'test']);
  try {
    await vscode.commands.executeCommand('fortellis.getToken');
  } finally {
    user.dispose();
  }
}

/** Clicks the one code lens of a response view, "Copy as curl", and returns what it put on the clipboard. */
export async function curlFromResponseLens(response: vscode.Uri): Promise<string> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', response);
  assert.deepEqual(
    lenses.map((lens) => lens.command?.title),
    ['$(copy) Copy as curl'],
  );
  await vscode.commands.executeCommand(lenses[0].command?.command ?? '', ...(lenses[0].command?.arguments ?? []));
  return vscode.env.clipboard.readText();
}
