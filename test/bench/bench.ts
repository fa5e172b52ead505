/**
 * Benchmark: figures for the token cache, the token client and the package, each next to its goal.
 * Not a test: a slow machine gives slow figures, never a failure; it exits non-zero only if something crashes.
 * Run: npx tsc -p . && node out/test/bench/bench.js (prints a Markdown table and writes test-results/bench.md).
 */
import { randomBytes } from 'node:crypto';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Clock, systemClock, type Timer } from '../../src/core/tokens/clock';
import { type TokenCacheEvents, TokenCache, type TokenFetcher } from '../../src/core/tokens/tokenCache';
import type { IssuedToken } from '../../src/core/tokens/token';
import { type ClientCredentials, requestClientCredentialsToken, type TokenRequestOptions } from '../../src/core/tokens/tokenRequests';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { FakeClock } from '../unit/fakeClock';
import { MemoryStore } from '../unit/memoryStore';

/** Repository root: this file runs from out/test/bench/. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const RESULTS_DIR = path.join(ROOT, 'test-results');

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const MINUTES_PER_DAY = 24 * 60;

const CACHED_READS = 100_000;
const CONCURRENT_CALLERS = 1000;
const COLD_FETCH_WARMUPS = 20;
const COLD_FETCH_SAMPLES = 200;
const COLD_FETCH_RATIO_GOAL = 1.1;
/** The extension's defaults: renew 300 s before expiry ("fortellis.tokenRenewal.secondsBeforeExpiry"). */
const RENEW_BEFORE_EXPIRY_MS = 300 * SECOND_MS;
const TOKEN_LIFETIME_MS = HOUR_MS;
/** The seed tutorial's refresh loop sleeps 72,000 s between token requests. */
const TUTORIAL_SLEEP_MS = 72_000 * SECOND_MS;
const VSIX_GOAL_BYTES = 100 * 1024;

/** As the extension sends it: the default "fortellis.http.timeoutSeconds" and tokenService's 3 attempts. */
const REQUEST_OPTIONS: TokenRequestOptions = { timeoutMs: 30 * SECOND_MS, maxAttempts: 3 };
const CLIENT_CREDENTIALS_BODY = 'grant_type=client_credentials&scope=anonymous';
const CACHE_KEY = 'bench';
const IGNORE_EVENTS: TokenCacheEvents = { onDidChange: () => undefined, onRenewalFailed: () => undefined };

type Met = 'yes' | 'no' | '—';

interface Row {
  readonly figure: string;
  readonly measured: string;
  readonly goal: string;
  readonly met: Met;
}

interface Report {
  readonly rows: Row[];
  readonly notes: string[];
}

async function main(): Promise<void> {
  // URL-safe, so the RFC 6749 form-encoded Basic header and the raw one are the same bytes.
  const credentials: ClientCredentials = { apiKey: `bench-${randomBytes(4).toString('hex')}`, apiSecret: randomBytes(24).toString('base64url') };
  const sandbox = await startSandbox({ clients: [{ clientId: credentials.apiKey, clientSecret: credentials.apiSecret }] });
  const report: Report = { rows: [], notes: [] };
  try {
    const fetcher: TokenFetcher = () => requestClientCredentialsToken(sandbox.issuer, credentials, REQUEST_OPTIONS);
    report.rows.push(...(await benchCachedReads(sandbox, fetcher)));
    report.rows.push(await benchConcurrency(sandbox, fetcher));
    await benchColdFetch(sandbox, credentials, report);
  } finally {
    await sandbox.close();
  }
  report.rows.push(...(await simulateDay()));
  report.rows.push(...(await packageSizes()));
  report.rows.push(await activationCost(), await commandToCountdown());
  report.notes.push('The sandbox (oidc-provider, RS256 JWTs) runs in the bench process on 127.0.0.1: client and server share one event loop.');

  const markdown = render(report);
  console.log(markdown);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, 'bench.md'), `${markdown}\n`);
}

// ---- 1. Cached token read --------------------------------------------------------------------------------

async function benchCachedReads(sandbox: Sandbox, fetcher: TokenFetcher): Promise<Row[]> {
  const cache = newCache(systemClock);
  await cache.get(CACHE_KEY, fetcher);
  const requestsBefore = sandbox.stats().tokenRequests;
  const nanoseconds = new Float64Array(CACHED_READS);
  for (let i = 0; i < CACHED_READS; i++) {
    const start = process.hrtime.bigint();
    await cache.get(CACHE_KEY, fetcher);
    nanoseconds[i] = Number(process.hrtime.bigint() - start);
  }
  const requests = sandbox.stats().tokenRequests - requestsBefore;
  cache.dispose();
  nanoseconds.sort();
  const reads = CACHED_READS.toLocaleString('en-US');
  return [
    {
      figure: `Cached token read, p50 / p99 (${reads} sequential \`cache.get\`)`,
      measured: `${formatMicroseconds(percentile(nanoseconds, 0.5))} / ${formatMicroseconds(percentile(nanoseconds, 0.99))}`,
      goal: '—',
      met: '—',
    },
    { figure: `Token requests during the ${reads} cached reads`, measured: String(requests), goal: '0', met: verdict(requests === 0) },
  ];
}

// ---- 2. Concurrency --------------------------------------------------------------------------------------

async function benchConcurrency(sandbox: Sandbox, fetcher: TokenFetcher): Promise<Row> {
  const cache = newCache(systemClock);
  const requestsBefore = sandbox.stats().tokenRequests;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => cache.get(CACHE_KEY, fetcher)));
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const requests = sandbox.stats().tokenRequests - requestsBefore;
  cache.dispose();
  return {
    figure: `Token requests for ${CONCURRENT_CALLERS} concurrent \`cache.get\` on a cold cache`,
    measured: `${requests} (all served in ${formatMilliseconds(elapsedNs)})`,
    goal: 'exactly 1',
    met: verdict(requests === 1),
  };
}

// ---- 3. Cold client-credentials fetch --------------------------------------------------------------------

/**
 * The extension's request against a bare global fetch of the same request, interleaved so that drift
 * (GC, JIT, the server's growing in-memory state) hits both alike. Both open a new connection per request,
 * as a real token request does: the extension asks once per token lifetime, long after any keep-alive ended.
 */
async function benchColdFetch(sandbox: Sandbox, credentials: ClientCredentials, report: Report): Promise<void> {
  const extension = (): Promise<unknown> => requestClientCredentialsToken(sandbox.issuer, credentials, REQUEST_OPTIONS);
  const bare = (): Promise<unknown> => bareTokenRequest(sandbox.tokenEndpoint, credentials);
  const connections = new ConnectionCounter();
  // node-fetch goes through http.globalAgent, which keeps connections alive by default since Node 19.
  const keepAliveAgent = http.globalAgent;
  http.globalAgent = new http.Agent({ keepAlive: false });
  try {
    for (let i = 0; i < COLD_FETCH_WARMUPS; i++) {
      await extension();
      await bare();
    }
    const extensionNs: number[] = [];
    const bareNs: number[] = [];
    const opened = { extension: 0, bare: 0 };
    for (let i = 0; i < COLD_FETCH_SAMPLES; i++) {
      opened.extension += await connections.during(async () => extensionNs.push(await timed(extension)));
      opened.bare += await connections.during(async () => bareNs.push(await timed(bare)));
    }
    const ratio = median(extensionNs) / median(bareNs);
    report.rows.push(
      {
        figure: `Cold client-credentials fetch, median of ${COLD_FETCH_SAMPLES}: extension (node-fetch) / bare global \`fetch\``,
        measured: `${formatMilliseconds(median(extensionNs))} / ${formatMilliseconds(median(bareNs))}`,
        goal: '—',
        met: '—',
      },
      {
        figure: 'Cold fetch ratio extension / bare',
        measured: ratio.toFixed(2),
        goal: `≤ ${COLD_FETCH_RATIO_GOAL.toFixed(2)}`,
        met: verdict(ratio <= COLD_FETCH_RATIO_GOAL),
      },
    );
    report.notes.push(
      `Cold fetch: a new TCP connection per request for both (${opened.extension} connections for ${COLD_FETCH_SAMPLES} extension requests, ` +
        `${opened.bare} for ${COLD_FETCH_SAMPLES} bare ones), interleaved after ${COLD_FETCH_WARMUPS} warm-ups of each; plain http on loopback, no TLS.`,
    );
  } finally {
    http.globalAgent = keepAliveAgent;
    connections.dispose();
  }
}

/** The same request as the extension's, with Node's global fetch and nothing else: same Basic header, form body and Accept. */
async function bareTokenRequest(endpoint: string, { apiKey, apiSecret }: ClientCredentials): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      Connection: 'close',
    },
    body: CLIENT_CREDENTIALS_BODY,
  });
  const body = (await response.json()) as { access_token?: unknown };
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`The bare token request failed with HTTP ${response.status}.`);
  }
}

/** Counts TCP connections the process opens (http and fetch both publish on this channel). */
class ConnectionCounter {
  private count = 0;
  private readonly onSocket = (): void => {
    this.count++;
  };

  constructor() {
    diagnosticsChannel.subscribe('net.client.socket', this.onSocket);
  }

  /** Connections opened while the action ran; the actions measured run one at a time. */
  async during(action: () => Promise<unknown>): Promise<number> {
    const before = this.count;
    await action();
    return this.count - before;
  }

  dispose(): void {
    diagnosticsChannel.unsubscribe('net.client.socket', this.onSocket);
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start);
}

// ---- 4. 24 hours of use on a fake clock ------------------------------------------------------------------

/** A token issuer that answers at once with tokens stamped by the fake clock. */
function fakeIssuer(clock: Clock): { fetch: TokenFetcher; issued: () => number } {
  let issued = 0;
  const fetch = async (): Promise<IssuedToken> => {
    issued++;
    const now = clock.now();
    return { accessToken: `fake-${issued}`, tokenType: 'Bearer', scope: 'anonymous', receivedAt: now, expiresAt: now + TOKEN_LIFETIME_MS };
  };
  return { fetch, issued: () => issued };
}

/** Uses a token once a minute for 24 hours; returns the minutes in which the token used had expired. */
async function useOnceAMinuteForADay(clock: FakeClock, currentToken: () => Promise<IssuedToken | undefined>): Promise<number> {
  let staleMinutes = 0;
  for (let minute = 0; minute < MINUTES_PER_DAY; minute++) {
    const token = await currentToken();
    if (!token || token.expiresAt <= clock.now()) {
      staleMinutes++;
    }
    await clock.advance(MINUTE_MS);
  }
  return staleMinutes;
}

async function simulateDay(): Promise<Row[]> {
  const extension = await extensionDay();
  const tutorial = await seedTutorialDay();
  const renewalWindowMinutes = (TOKEN_LIFETIME_MS - RENEW_BEFORE_EXPIRY_MS) / MINUTE_MS;
  const maxRequests = 1 + Math.floor(MINUTES_PER_DAY / renewalWindowMinutes);
  return [
    {
      figure: '24 h simulated, extension (renewal 300 s before expiry): minutes using an expired token',
      measured: `${extension.staleMinutes} of ${MINUTES_PER_DAY}`,
      goal: '0',
      met: verdict(extension.staleMinutes === 0),
    },
    {
      figure: '24 h simulated, extension: token requests',
      measured: `${extension.requests} (${(extension.requests / 24).toFixed(2)} per hour)`,
      goal: `≤ 1 per ${renewalWindowMinutes}-min lifetime window (≤ ${maxRequests} in 24 h)`,
      met: verdict(extension.requests <= maxRequests),
    },
    {
      figure: '24 h simulated, seed tutorial (sleep 72,000 s): minutes using an expired token',
      measured: `${tutorial.staleMinutes} of ${MINUTES_PER_DAY} (${((100 * tutorial.staleMinutes) / MINUTES_PER_DAY).toFixed(1)} % of the day); ${tutorial.requests} token requests`,
      goal: '— (baseline)',
      met: '—',
    },
  ];
}

/** The extension's way: the cache keeps the token fresh and every use goes through `cache.get`. */
async function extensionDay(): Promise<{ staleMinutes: number; requests: number }> {
  const clock = new FakeClock();
  const issuer = fakeIssuer(clock);
  const cache = newCache(clock);
  cache.keepFresh(CACHE_KEY, issuer.fetch);
  const staleMinutes = await useOnceAMinuteForADay(clock, () => cache.get(CACHE_KEY, issuer.fetch));
  cache.dispose();
  return { staleMinutes, requests: issuer.issued() };
}

/** The seed tutorial's way: get a token, sleep 72,000 s, get another; every use takes the saved token. */
async function seedTutorialDay(): Promise<{ staleMinutes: number; requests: number }> {
  const clock = new FakeClock();
  const issuer = fakeIssuer(clock);
  let saved: IssuedToken | undefined;
  let sleeping: Timer | undefined;
  const refreshLoop = async (): Promise<void> => {
    saved = await issuer.fetch();
    sleeping = clock.setTimeout(() => void refreshLoop(), TUTORIAL_SLEEP_MS);
  };
  await refreshLoop();
  const staleMinutes = await useOnceAMinuteForADay(clock, async () => saved);
  sleeping?.cancel();
  return { staleMinutes, requests: issuer.issued() };
}

// ---- 5. Bundle and VSIX sizes ----------------------------------------------------------------------------

async function packageSizes(): Promise<Row[]> {
  const bundle = await fileSize(path.join(ROOT, 'dist', 'extension.js'));
  const lazyBundle = await fileSize(path.join(ROOT, 'dist', 'apiRequestFeatures.js'));
  const vsix = await fileSize(path.join(ROOT, 'dist', 'fortellis-auth.vsix'));
  return [
    { figure: 'Bundle loaded at activation (dist/extension.js)', measured: formatSize(bundle), goal: '—', met: '—' },
    { figure: 'Bundle loaded on the first snippet / Call API / Inspect Token (dist/apiRequestFeatures.js)', measured: formatSize(lazyBundle), goal: '—', met: '—' },
    {
      figure: 'VSIX size (dist/fortellis-auth.vsix)',
      measured: formatSize(vsix),
      goal: `≤ ${VSIX_GOAL_BYTES.toLocaleString('en-US')} bytes (100 KB)`,
      met: vsix === undefined ? '—' : verdict(vsix <= VSIX_GOAL_BYTES),
    },
  ];
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) {
    return 'not built: run npm run package first';
  }
  return `${bytes.toLocaleString('en-US')} bytes (${(bytes / 1024).toFixed(1)} KB)`;
}

// ---- 6. Figures that need the real VS Code host ----------------------------------------------------------

const RUN_E2E_FIRST = 'run npm run test:e2e first';

/** Bundle load + activate() may cost at most this many times an empty extension's, measured in the same host and run. */
const ACTIVATION_RATIO_GOAL = 2;

async function activationCost(): Promise<Row> {
  const file = path.join(RESULTS_DIR, 'activation-bench.json');
  const figures = await readNumbers(file, ['extensionMs', 'emptyMs']);
  const ratio = figures && figures.extensionMs / Math.max(figures.emptyMs, 1);
  return {
    figure: 'Activation in code-server (code loading + activate(), as VS Code reports it) vs an empty extension, same run',
    measured: figures && ratio !== undefined
      ? `${figures.extensionMs.toFixed(0)} ms vs ${figures.emptyMs.toFixed(0)} ms (${ratio.toFixed(2)}×)`
      : 'run node out/test/bench/activationCost.js first',
    goal: `≤ ${ACTIVATION_RATIO_GOAL}×`,
    met: ratio === undefined ? '—' : verdict(ratio <= ACTIVATION_RATIO_GOAL),
  };
}

async function commandToCountdown(): Promise<Row> {
  const file = path.join(RESULTS_DIR, 'e2e-timings.json');
  const figures = await readNumbers(file, ['commandToCountdownMs', 'lastAnswerToCountdownMs']);
  return {
    figure: 'Command to countdown (E2E): from the command / from the last answer in the wizard',
    measured: figures ? `${figures.commandToCountdownMs.toFixed(0)} ms / ${figures.lastAnswerToCountdownMs.toFixed(0)} ms` : RUN_E2E_FIRST,
    goal: '—',
    met: '—',
  };
}

/** The named numeric fields of a JSON file, or undefined if the file is absent or lacks one of them. */
async function readNumbers<K extends string>(file: string, fields: readonly K[]): Promise<Record<K, number> | undefined> {
  let json: Record<string, unknown> | null;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> | null;
  } catch {
    return undefined;
  }
  const figures = {} as Record<K, number>;
  for (const field of fields) {
    const value = json?.[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return undefined;
    }
    figures[field] = value;
  }
  return figures;
}

// ---- Helpers ---------------------------------------------------------------------------------------------

/** A cache with the extension's default renewal policy; renewal starts only for a key passed to keepFresh. */
function newCache(clock: Clock): TokenCache {
  return new TokenCache(new MemoryStore(), clock, () => ({ enabled: true, beforeExpiryMs: RENEW_BEFORE_EXPIRY_MS }), IGNORE_EVENTS);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function formatMicroseconds(nanoseconds: number): string {
  return `${(nanoseconds / 1e3).toFixed(2)} µs`;
}

function formatMilliseconds(nanoseconds: number): string {
  return `${(nanoseconds / 1e6).toFixed(2)} ms`;
}

function verdict(met: boolean): Met {
  return met ? 'yes' : 'no';
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `Machine: ${cpus.length} × ${model}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.arch()}, Node ${process.version}; ${new Date().toISOString()}`;
}

function render({ rows, notes }: Report): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [
    '# Fortellis Auth benchmark',
    '',
    machine(),
    '',
    '| figure | measured | goal | met? |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${[row.figure, row.measured, row.goal, row.met].map(escape).join(' | ')} |`),
    '',
    ...notes.map((note) => `- ${note}`),
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  // Messages only: a stack or an error object could carry request details.
  console.error(`Benchmark crashed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
