/**
 * Runs one language's request snippet many times, several at once, against a loopback server, and counts the runs
 * that failed or were stopped at the time limit: how a flaky runtime (Mono's shutdown once hung 2 of 120 runs) is
 * found and a fix measured. Not part of any layer.
 *
 *   node test/tools/transpile.mjs && node out/test/snippetRuns/repeatRuns.js [language] [runs] [at once] [limit ms]
 *   e.g. node out/test/snippetRuns/repeatRuns.js csharp 120 6 20000
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderRequestSnippet, SNIPPET_LANGUAGES, type SnippetLanguageId } from '../../src/core/snippets/renderSnippet';
import { runSnippet } from './snippetRunner';

async function main(): Promise<number> {
  const [language = 'csharp', runs = '120', atOnce = '6', limitMs = '20000'] = process.argv.slice(2);
  if (!SNIPPET_LANGUAGES.some((each) => each.id === language)) {
    console.error(`No snippet language "${language}": one of ${SNIPPET_LANGUAGES.map((each) => each.id).join(', ')}.`);
    return 2;
  }
  const total = Number(runs);
  const server = createServer((request, response) => {
    request.resume().on('end', () => response.setHeader('content-type', 'application/json').end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/cdk-test/x?q=1`;
  const source = renderRequestSnippet(language as SnippetLanguageId, {
    method: 'POST',
    url,
    subscriptionId: 'test',
    body: '{"a":1}',
    token: { from: 'environment' },
  });
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  let stopped = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      const started = Date.now();
      const run = await runSnippet(language as SnippetLanguageId, source, { FORTELLIS_TOKEN: 'not-a-real-token' }, { timeoutMs: Number(limitMs) });
      times.push(Date.now() - started);
      if (run.exitCode === null) {
        stopped += 1;
        console.log(`stopped at the time limit; its output: ${JSON.stringify(run.stdout.slice(0, 80))}`);
      } else if (run.exitCode !== 0) {
        failed += 1;
        console.log(`exit ${run.exitCode}: ${run.stderr.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(atOnce) }, worker));
  server.close();
  times.sort((a, b) => a - b);
  console.log(
    `${language}: ${total} runs, ${atOnce} at once: ${total - failed - stopped} ended well, ${failed} failed, ${stopped} stopped at the ${limitMs} ms limit; median ${times[Math.floor(total / 2)]} ms, longest ${times[total - 1]} ms`,
  );
  return failed + stopped === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
