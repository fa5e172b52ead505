/**
 * A .http file sent as a user sends it from a terminal: the httpyac CLI, the token in FORTELLIS_TOKEN, against the
 * sandbox. Checks what every Fortellis request needs (it ran; Subscription-Id "test"; a Request-Id of its own per
 * request) and returns what the sandbox's gateway recorded, for the caller's own checks.
 */
import assert from 'node:assert/strict';
import type { ApiRequestRecord } from '../sandbox/apiServer';
import type { Sandbox } from '../sandbox/sandboxServer';
import { REQUEST_ID_FORM, runSnippet } from './snippetRunner';

export async function sendHttpFile(sandbox: Sandbox, text: string, token: string): Promise<ApiRequestRecord[]> {
  sandbox.resetApiRequests();
  const result = await runSnippet('http', text, { FORTELLIS_TOKEN: token }, { timeoutMs: 90_000 });
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`.split(token).join('<token>'));
  const records = sandbox.apiRequests();
  assert.ok(records.length > 0, 'the file sent no request');
  assert.ok(records.every((record) => record.subscriptionId === 'test' && REQUEST_ID_FORM.test(record.requestId ?? '')));
  assert.equal(new Set(records.map((record) => record.requestId)).size, records.length, 'a new Request-Id for each request');
  return records;
}

/** "METHOD path status authenticated" per request, to compare with what the file holds. */
export function requestLines(records: readonly ApiRequestRecord[]): string[] {
  return records.map((record) => `${record.method} ${record.path} ${record.status} ${record.authenticated}`);
}
