/**
 * Benchmark: figures for the token lifecycle, the token client and the package, each next to its goal.
 * Every token figure goes through the extension's real TokenLifecycle: against the real sandbox where a network
 * request is timed, and against the unit tests' FakeAuthServer on a fake clock where hours or days are simulated.
 * Not a test: a slow machine gives slow figures, never a failure; it exits non-zero only if something crashes.
 * Run: npx tsc -p . && node out/test/bench/bench.js (prints a Markdown table and writes test-results/bench.md).
 */
import { randomBytes } from 'node:crypto';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { credentialKey, type Profile, resolveEnvironment } from '../../src/core/profiles/profiles';
import { redactToolResult } from '../../src/core/agentTools/agentResultRedaction';
import { Redactor } from '../../src/core/text/redaction';
import { systemClock } from '../../src/core/tokens/clock';
import { MIN_REQUEST_INTERVAL_MS } from '../../src/core/tokens/renewalSchedule';
import type { IssuedToken } from '../../src/core/tokens/token';
import { type LifecycleSettings, TokenLifecycle } from '../../src/core/tokens/tokenLifecycle';
import type { ClientCredentials } from '../../src/core/tokens/tokenRequests';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { type FakeClock, settle } from '../unit/helpers/fakeClock';
import { HARNESS_PROFILE, type HarnessWindow, LifecycleHarness } from '../unit/helpers/lifecycleHarness';
import { MemoryStore } from '../unit/helpers/memoryStore';

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
/** The extension's defaults: renewal on, 300 s before expiry ("fortellis.tokenRenewal.*"). */
const RENEW_BEFORE_EXPIRY_MS = 300 * SECOND_MS;
const DEFAULT_RENEWAL = { enabled: true, beforeExpiryMs: RENEW_BEFORE_EXPIRY_MS };
const TOKEN_LIFETIME_S = 3600;
const TOKEN_LIFETIME_MS = TOKEN_LIFETIME_S * SECOND_MS;
/** The seed tutorial's refresh loop sleeps 72,000 s between token requests. */
const TUTORIAL_SLEEP_MS = 72_000 * SECOND_MS;
/** Short lifetimes at default settings: the issue's renewal storm (120 s, a Custom issuer) and Okta's shortest (300 s). */
const SHORT_LIFETIMES_S = [120, 300];
const SHORT_LIFETIME_HOURS = 3;
/** The real-host test's bound for 120 s tokens: at most 2 token requests in any 60 s. */
const MAX_REQUESTS_PER_MINUTE = 2;
const WINDOWS = 4;
/** The fake server's answer time in the multi-window day (as the unit test's): long enough for windows to race. */
const WINDOWS_SERVER_LATENCY_MS = 150;
/** Each window's jitter draw comes from this seeded generator, so a run can be repeated exactly. */
const JITTER_SEED = 0x9e3779b9;
const ACTIVATION_BUNDLE_GOAL_BYTES = 35 * 1024;
const VSIX_GOAL_BYTES = 100 * 1024;
/** The default "fortellis.http.timeoutSeconds". */
const HTTP_TIMEOUT_MS = 30 * SECOND_MS;
const CLIENT_CREDENTIALS_BODY = 'grant_type=client_credentials&scope=anonymous';

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
    report.rows.push(...(await benchCachedReads(sandbox, credentials)));
    report.rows.push(await benchConcurrency(sandbox, credentials));
    await benchColdFetch(sandbox, credentials, report);
  } finally {
    await sandbox.close();
  }
  report.rows.push(...(await simulateDay()));
  for (const lifetimeS of SHORT_LIFETIMES_S) {
    report.rows.push(await shortLifetimeRequests(lifetimeS));
  }
  report.rows.push(...(await windowsSharingOneStore()));
  report.rows.push(...(await packageSizes()));
  report.rows.push(await activationCost(), await commandToCountdown());
  report.notes.push(...(await activationParts()));
  report.rows.push(...resultRedactionCost());
  report.notes.push(
    'The sandbox (oidc-provider, RS256 JWTs) runs in the bench process on 127.0.0.1: client and server share one event loop.',
    "Simulated hours and days: the real TokenLifecycle on the unit tests' fake clock, shared MemoryStore and FakeAuthServer " +
      `(test/unit/helpers/lifecycleHarness.ts), default renewal settings, each window's jitter drawn from a PRNG seeded with 0x${JITTER_SEED.toString(16)}; ` +
      'the token is used once a simulated minute through `lifecycle.appToken` (or `userToken` for the signed-in user).',
  );

  const markdown = render(report);
  console.log(markdown);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, 'bench.md'), `${markdown}\n`);
}

// ---- The real lifecycle against the sandbox --------------------------------------------------------------

/** The sandbox settings of the extension, pointed at this run's sandbox. */
function sandboxSettings(sandbox: Sandbox): { issuer: string; apiBaseUrl: string; subscriptionsUrl: string } {
  return { issuer: sandbox.issuer, apiBaseUrl: sandbox.apiBaseUrl, subscriptionsUrl: sandbox.subscriptionsUrl };
}

/**
 * A TokenLifecycle as extension.ts builds it (system clock, grants loaded on first use, default settings) over a
 * fresh in-memory store holding the profile's secret, as after "Add Profile": nothing cached yet.
 */
async function sandboxLifecycle(sandbox: Sandbox, credentials: ClientCredentials): Promise<{ lifecycle: TokenLifecycle; profile: Profile }> {
  const profile: Profile = { name: 'bench', environment: 'sandbox', apiKey: credentials.apiKey };
  const environmentOf = (p: Profile) => resolveEnvironment(p, sandboxSettings(sandbox));
  const store = new MemoryStore();
  await store.store(credentialKey(profile, environmentOf(profile)), credentials.apiSecret);
  const redactor = new Redactor();
  const logged = (message: string): void => void redactor.redact(message);
  const settings: LifecycleSettings = {
    renewal: () => DEFAULT_RENEWAL,
    http: () => ({ timeoutMs: HTTP_TIMEOUT_MS, proxy: undefined }),
    environment: environmentOf,
    profileNamed: (name) => (name === profile.name ? profile : undefined),
  };
  const lifecycle = new TokenLifecycle({
    store,
    clock: systemClock,
    settings,
    log: { info: logged, warn: logged, error: logged },
    redactor,
    grants: async () => import('../../src/core/tokens/tokenRequests.js'),
  });
  return { lifecycle, profile };
}

// ---- 1. Cached token read --------------------------------------------------------------------------------

async function benchCachedReads(sandbox: Sandbox, credentials: ClientCredentials): Promise<Row[]> {
  const { lifecycle, profile } = await sandboxLifecycle(sandbox, credentials);
  await lifecycle.appToken(profile);
  const requestsBefore = sandbox.stats().tokenRequests;
  const nanoseconds = new Float64Array(CACHED_READS);
  for (let i = 0; i < CACHED_READS; i++) {
    const start = process.hrtime.bigint();
    await lifecycle.appToken(profile);
    nanoseconds[i] = Number(process.hrtime.bigint() - start);
  }
  const requests = sandbox.stats().tokenRequests - requestsBefore;
  lifecycle.dispose();
  nanoseconds.sort();
  const reads = CACHED_READS.toLocaleString('en-US');
  return [
    {
      figure: `Cached token read, p50 / p99 (${reads} sequential \`lifecycle.appToken\`)`,
      measured: `${formatMicroseconds(percentile(nanoseconds, 0.5))} / ${formatMicroseconds(percentile(nanoseconds, 0.99))}`,
      goal: '—',
      met: '—',
    },
    { figure: `Token requests during the ${reads} cached reads`, measured: String(requests), goal: '0', met: verdict(requests === 0) },
  ];
}

// ---- 2. Concurrency --------------------------------------------------------------------------------------

async function benchConcurrency(sandbox: Sandbox, credentials: ClientCredentials): Promise<Row> {
  const { lifecycle, profile } = await sandboxLifecycle(sandbox, credentials);
  const requestsBefore = sandbox.stats().tokenRequests;
  const start = process.hrtime.bigint();
  const tokens = await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => lifecycle.appToken(profile)));
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const requests = sandbox.stats().tokenRequests - requestsBefore;
  const distinct = new Set(tokens.map((token) => token.accessToken)).size;
  lifecycle.dispose();
  return {
    figure: `Token requests for ${CONCURRENT_CALLERS} concurrent \`lifecycle.appToken\` on a cold cache`,
    measured: `${requests} (all served in ${formatMilliseconds(elapsedNs)}; ${distinct} distinct token${distinct === 1 ? '' : 's'} handed out)`,
    goal: 'exactly 1',
    met: verdict(requests === 1 && distinct === 1),
  };
}

// ---- 3. Cold client-credentials fetch --------------------------------------------------------------------

/**
 * The extension's cold fetch (a new lifecycle with nothing cached: `appToken` reads the store, loads the grants,
 * requests, stores) against a bare global fetch of the same request, interleaved so that drift (GC, JIT, the
 * server's growing in-memory state) hits both alike. Both open a new connection per request, as a real token
 * request does: the extension asks once per token lifetime, long after any keep-alive ended.
 */
async function benchColdFetch(sandbox: Sandbox, credentials: ClientCredentials, report: Report): Promise<void> {
  const extension = async (): Promise<() => Promise<unknown>> => {
    const { lifecycle, profile } = await sandboxLifecycle(sandbox, credentials);
    return async () => {
      await lifecycle.appToken(profile);
      lifecycle.dispose();
    };
  };
  const bare = async (): Promise<() => Promise<unknown>> => () => bareTokenRequest(sandbox.tokenEndpoint, credentials);
  const connections = new ConnectionCounter();
  // node-fetch goes through http.globalAgent, which keeps connections alive by default since Node 19.
  const keepAliveAgent = http.globalAgent;
  http.globalAgent = new http.Agent({ keepAlive: false });
  try {
    for (let i = 0; i < COLD_FETCH_WARMUPS; i++) {
      await (
        await extension()
      )();
      await (
        await bare()
      )();
    }
    const extensionNs: number[] = [];
    const bareNs: number[] = [];
    const opened = { extension: 0, bare: 0 };
    for (let i = 0; i < COLD_FETCH_SAMPLES; i++) {
      const extensionRequest = await extension();
      opened.extension += await connections.during(async () => extensionNs.push(await timed(extensionRequest)));
      const bareRequest = await bare();
      opened.bare += await connections.during(async () => bareNs.push(await timed(bareRequest)));
    }
    const ratio = median(extensionNs) / median(bareNs);
    report.rows.push(
      {
        figure: `Cold client-credentials fetch, median of ${COLD_FETCH_SAMPLES}: extension (\`lifecycle.appToken\` on an empty cache, node-fetch) / bare global \`fetch\``,
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
        `${opened.bare} for ${COLD_FETCH_SAMPLES} bare ones), interleaved after ${COLD_FETCH_WARMUPS} warm-ups of each; plain http on loopback, no TLS. ` +
        'Each extension sample is a new TokenLifecycle over a new store holding only the secret (built before the clock starts).',
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

// ---- 4. Simulated hours and days on a fake clock ---------------------------------------------------------

/** A small seeded PRNG (mulberry32): each window's jitter draw, the same in every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Awaits an action on the fake clock, moving the clock a second at a time while it waits (a request to the fake
 * server takes fake time). Returns the fake time it took, and undefined for the value if it failed or took a minute.
 */
async function onFakeTime<T>(clock: FakeClock, action: Promise<T>): Promise<{ value: T | undefined; elapsedMs: number }> {
  let outcome: { value: T | undefined } | undefined;
  action.then(
    (value) => (outcome = { value }),
    () => (outcome = { value: undefined }),
  );
  await settle();
  let elapsedMs = 0;
  while (!outcome && elapsedMs < MINUTE_MS) {
    await clock.advance(SECOND_MS);
    elapsedMs += SECOND_MS;
  }
  return { value: outcome?.value, elapsedMs };
}

/** Uses a token once a minute; returns the minutes in which there was none or it had expired. */
async function useOnceAMinute(clock: FakeClock, minutes: number, currentToken: () => Promise<IssuedToken | undefined>): Promise<number> {
  let staleMinutes = 0;
  for (let minute = 0; minute < minutes; minute++) {
    const { value: token, elapsedMs } = await onFakeTime(clock, currentToken());
    if (!token || token.expiresAt <= clock.now()) {
      staleMinutes++;
    }
    await clock.advance(Math.max(0, MINUTE_MS - elapsedMs));
  }
  return staleMinutes;
}

/** One window over the harness's store and fake server, with the default renewal settings and tokens of this lifetime. */
async function oneWindow(lifetimeS: number): Promise<{ harness: LifecycleHarness; window: HarnessWindow }> {
  const harness = new LifecycleHarness();
  harness.renewal = DEFAULT_RENEWAL;
  harness.server.expiresIn = lifetimeS;
  const window = await harness.openWindow('window-1', seededRandom(JITTER_SEED));
  return { harness, window };
}

function clientCredentialsRequests(harness: LifecycleHarness): number[] {
  return harness.server.requests.filter((request) => request.grant === 'client_credentials').map((request) => request.at);
}

async function simulateDay(): Promise<Row[]> {
  const extension = await extensionDay();
  const tutorial = await seedTutorialDay();
  const renewalWindowMinutes = (TOKEN_LIFETIME_MS - RENEW_BEFORE_EXPIRY_MS) / MINUTE_MS;
  const maxRequests = 1 + Math.floor(MINUTES_PER_DAY / renewalWindowMinutes);
  return [
    {
      figure: '24 h simulated, extension (1 h tokens, renewal 300 s before expiry): minutes using an expired token',
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

/** The extension's way: the active profile's token is kept fresh, and every use goes through `lifecycle.appToken`. */
async function extensionDay(): Promise<{ staleMinutes: number; requests: number }> {
  const { harness, window } = await oneWindow(TOKEN_LIFETIME_S);
  try {
    const staleMinutes = await useOnceAMinute(harness.clock, MINUTES_PER_DAY, () => window.lifecycle.appToken(HARNESS_PROFILE));
    return { staleMinutes, requests: clientCredentialsRequests(harness).length };
  } finally {
    harness.dispose();
  }
}

/** The seed tutorial's way: get a token, sleep 72,000 s, get another; every use takes the saved token. */
async function seedTutorialDay(): Promise<{ staleMinutes: number; requests: number }> {
  const harness = new LifecycleHarness();
  harness.server.expiresIn = TOKEN_LIFETIME_S;
  const grant = harness.server.grantsFor('tutorial');
  const environment = harness.environment();
  let saved: IssuedToken | undefined;
  let sleeping: { cancel(): void } | undefined;
  const refreshLoop = async (): Promise<void> => {
    saved = await grant.requestClientCredentialsToken(
      environment.issuer,
      { apiKey: HARNESS_PROFILE.apiKey, apiSecret: 'tutorial' },
      { timeoutMs: HTTP_TIMEOUT_MS, maxAttempts: 1 },
    );
    sleeping = harness.clock.setTimeout(() => void refreshLoop(), TUTORIAL_SLEEP_MS);
  };
  try {
    await refreshLoop();
    const staleMinutes = await useOnceAMinute(harness.clock, MINUTES_PER_DAY, async () => saved);
    return { staleMinutes, requests: clientCredentialsRequests(harness).length };
  } finally {
    sleeping?.cancel();
    harness.dispose();
  }
}

/** Short-lived tokens at default settings (300 s before expiry is longer than a 120 s token lives). */
async function shortLifetimeRequests(lifetimeS: number): Promise<Row> {
  const { harness, window } = await oneWindow(lifetimeS);
  try {
    const staleMinutes = await useOnceAMinute(harness.clock, SHORT_LIFETIME_HOURS * 60, () => window.lifecycle.appToken(HARNESS_PROFILE));
    const requests = clientCredentialsRequests(harness);
    const perHour = requests.length / SHORT_LIFETIME_HOURS;
    const busiestMinute = maxInAnyWindow(requests, MINUTE_MS);
    const closest = minGap(requests);
    const perHourGoal = HOUR_MS / MIN_REQUEST_INTERVAL_MS;
    return {
      figure: `${lifetimeS} s tokens, default settings (renew 300 s before expiry, on), ${SHORT_LIFETIME_HOURS} h simulated: token requests per hour`,
      measured:
        `${perHour.toFixed(1)} per hour (${requests.length} in ${SHORT_LIFETIME_HOURS} h; at most ${busiestMinute} in any 60 s; ` +
        `closest two ${closest === undefined ? '—' : `${(closest / SECOND_MS).toFixed(0)} s`} apart; ${staleMinutes} minutes with an expired token)`,
      goal: `≤ ${perHourGoal} per hour (one per ${MIN_REQUEST_INTERVAL_MS / SECOND_MS} s), ≤ ${MAX_REQUESTS_PER_MINUTE} in any 60 s, 0 expired minutes`,
      met: verdict(perHour <= perHourGoal && busiestMinute <= MAX_REQUESTS_PER_MINUTE && staleMinutes === 0),
    };
  } finally {
    harness.dispose();
  }
}

/**
 * Four windows over one store, signed in as one user, for 24 h against a server that rotates the refresh token on
 * each refresh and revokes the grant when a used one comes back. A cycle ends with each successful refresh.
 */
async function windowsSharingOneStore(): Promise<Row[]> {
  const harness = new LifecycleHarness();
  harness.renewal = DEFAULT_RENEWAL;
  harness.server.expiresIn = TOKEN_LIFETIME_S;
  harness.server.latencyMs = WINDOWS_SERVER_LATENCY_MS;
  const random = seededRandom(JITTER_SEED);
  try {
    const windows: HarnessWindow[] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const draw = random();
      windows.push(await harness.openWindow(`window-${i + 1}`, () => draw));
      await harness.clock.advance(1_000 + i * 777);
    }
    const pinned = await windows[0].lifecycle.beginSignIn(HARNESS_PROFILE);
    await pinned.save(harness.server.signIn());
    let signedOutMinutes = 0;
    for (let minute = 0; minute < MINUTES_PER_DAY; minute++) {
      await harness.clock.advance(MINUTE_MS);
      for (const window of windows) {
        const user = await window.lifecycle.cachedUserToken(HARNESS_PROFILE);
        if (!user?.refreshToken || user.expiresAt <= harness.clock.now()) {
          signedOutMinutes++;
          break;
        }
      }
    }
    const refreshes = harness.server.requests.filter((request) => request.grant === 'refresh_token');
    const invalidGrants = refreshes.filter((request) => request.outcome === 'invalid_grant').length;
    const perCycle: number[] = [];
    let inCycle = 0;
    for (const request of refreshes) {
      inCycle++;
      if (request.outcome === 'ok') {
        perCycle.push(inCycle);
        inCycle = 0;
      }
    }
    const fewest = Math.min(...perCycle);
    const most = Math.max(...perCycle);
    const cycleCounts = perCycle.length === 0 ? 'no cycle completed' : fewest === most ? `${most} in every cycle` : `${fewest}–${most} per cycle`;
    const refreshers = new Set(refreshes.map((request) => request.window)).size;
    const exactlyOne = perCycle.length > 0 && perCycle.every((count) => count === 1) && inCycle === 0;
    const errors = harness.errors.length;
    return [
      {
        figure: `${WINDOWS} windows over one store, 24 h simulated, server rotating refresh tokens and revoking on reuse: refresh requests per cycle`,
        measured:
          `${cycleCounts} (${refreshes.length} requests for ${perCycle.length} cycles` +
          `${inCycle > 0 ? `, ${inCycle} after the last success` : ''}; sent by ${refreshers} of ${WINDOWS} windows)`,
        goal: 'exactly 1 per cycle',
        met: verdict(exactlyOne),
      },
      {
        figure: `${WINDOWS} windows, 24 h: invalid_grant answers / minutes a window was signed out / grant revoked`,
        measured: `${invalidGrants} / ${signedOutMinutes} of ${MINUTES_PER_DAY} / ${harness.server.grantRevoked ? 'yes' : 'no'}${errors > 0 ? ` (${errors} errors from store events)` : ''}`,
        goal: '0 / 0 / no',
        met: verdict(invalidGrants === 0 && signedOutMinutes === 0 && !harness.server.grantRevoked && errors === 0),
      },
    ];
  } finally {
    harness.dispose();
  }
}

/** The most timestamps (sorted) that fall within any span of this length. */
function maxInAnyWindow(times: number[], spanMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= spanMs) {
      first++;
    }
    most = Math.max(most, last - first + 1);
  }
  return most;
}

function minGap(times: number[]): number | undefined {
  let gap: number | undefined;
  for (let i = 1; i < times.length; i++) {
    gap = Math.min(gap ?? Number.POSITIVE_INFINITY, times[i] - times[i - 1]);
  }
  return gap;
}

// ---- 5. Bundle and VSIX sizes ----------------------------------------------------------------------------

async function packageSizes(): Promise<Row[]> {
  const bundle = await fileSize(path.join(ROOT, 'dist', 'extension.js'));
  const vsix = await fileSize(path.join(ROOT, 'dist', 'fortellis-auth.vsix'));
  const lazyBundles = (await readdir(path.join(ROOT, 'dist')).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.js') && name !== 'extension.js')
    .sort();
  return [
    {
      figure: 'Bundle loaded at activation (dist/extension.js, `npm run package`: --production)',
      measured: formatSize(bundle),
      goal: `≤ ${ACTIVATION_BUNDLE_GOAL_BYTES.toLocaleString('en-US')} bytes (35 KB)`,
      met: bundle === undefined ? '—' : verdict(bundle <= ACTIVATION_BUNDLE_GOAL_BYTES),
    },
    ...(await Promise.all(
      lazyBundles.map(async (name): Promise<Row> => ({
        figure: `Bundle loaded on first use (dist/${name})`,
        measured: formatSize(await fileSize(path.join(ROOT, 'dist', name))),
        goal: '—',
        met: '—',
      })),
    )),
    {
      figure: 'VSIX size (dist/fortellis-auth.vsix)',
      measured: formatSize(vsix),
      goal: `≤ ${VSIX_GOAL_BYTES.toLocaleString('en-US')} bytes (100 KB)`,
      met: vsix === undefined ? '—' : verdict(vsix <= VSIX_GOAL_BYTES),
    },
  ];
}

// ---- The agent tools' result redactor -----------------------------------------------------------------------

const MB = 1024 * 1024;
/** Linear: 5 MB may take at most this many times as long as 1 MB (5, plus room for a noisy machine). */
const REDACTION_LINEARITY_GOAL = 7;

/**
 * redactToolResult on 1 MB and 5 MB results, with the secrets the extension holds after a sign-in (app, user,
 * refresh and ID tokens, the API secret) and a call's own: ordinary JSON, one base64 blob wrapped at 76 columns,
 * text full of JSON and percent escapes, and the "-eyJ" run that made the old JWT pattern quadratic.
 */
function resultRedactionCost(): Row[] {
  const known = new Redactor();
  known.add(
    randomBytes(24).toString('base64url'),
    `eyJ${randomBytes(600).toString('base64url')}`,
    randomBytes(40).toString('base64url'),
    `eyJ${randomBytes(900).toString('base64url')}`,
  );
  const values = [`eyJ${randomBytes(600).toString('base64url')}`];
  const inputs: Array<[string, (size: number) => string]> = [
    [
      'JSON records',
      (size) =>
        JSON.stringify(
          Array.from({ length: Math.ceil(size / 80) }, (_, i) => ({ id: i, blob: randomBytes(30).toString('base64'), url: `https://x.example/a%20b?q=${i}` })),
        ).slice(0, size),
    ],
    [
      'one base64 blob wrapped at 76 columns',
      (size) =>
        (
          randomBytes((size * 3) / 4)
            .toString('base64')
            .match(/.{1,76}/g) ?? []
        )
          .join('\r\n')
          .slice(0, size),
    ],
    ['JSON and percent escapes', (size) => '\\u0041%41\\/x'.repeat(size / 14)],
    ['"-eyJ" repeated', (size) => '-eyJ'.repeat(size / 4)],
  ];
  return inputs.map(([name, make]) => {
    const [one, five] = [MB, 5 * MB].map((size) => {
      const text = make(size);
      const start = process.hrtime.bigint();
      redactToolResult([text], { known, values });
      return Number(process.hrtime.bigint() - start) / 1e6;
    });
    return {
      figure: `Agent tool result redaction (every encoding), ${name}: 1 MB → 5 MB`,
      measured: `${one.toFixed(0)} ms → ${five.toFixed(0)} ms (×${(five / one).toFixed(1)})`,
      goal: `linear: ×${REDACTION_LINEARITY_GOAL} at most`,
      met: verdict(five / one <= REDACTION_LINEARITY_GOAL),
    };
  });
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
const ACTIVATION_RATIO_GOAL = 1.3;

async function activationCost(): Promise<Row> {
  const file = path.join(RESULTS_DIR, 'activation-bench.json');
  const figures = await readNumbers(file, [
    'windowLoads',
    'extensionMedianMs',
    'extensionMinMs',
    'extensionMaxMs',
    'emptyMedianMs',
    'emptyMinMs',
    'emptyMaxMs',
  ]);
  const ratio = figures && figures.extensionMedianMs / Math.max(figures.emptyMedianMs, 1);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return {
    figure:
      `Activation in code-server (code loading + activate(), as VS Code reports it), median (min–max) of ` +
      `${figures ? figures.windowLoads : '≥ 11'} interleaved window loads each: extension vs an empty extension`,
    measured:
      figures && ratio !== undefined
        ? `${ms(figures.extensionMedianMs)} (${ms(figures.extensionMinMs)}–${ms(figures.extensionMaxMs)}) vs ` +
          `${ms(figures.emptyMedianMs)} (${ms(figures.emptyMinMs)}–${ms(figures.emptyMaxMs)}): ${ratio.toFixed(2)}×`
        : 'run node out/test/bench/activationCost.js first',
    goal: `≤ ${ACTIVATION_RATIO_GOAL}×`,
    met: ratio === undefined ? '—' : verdict(ratio <= ACTIVATION_RATIO_GOAL),
  };
}

/** What the extension's activation is made of, as activationCost.ts timed it from inside the host (median per part). */
async function activationParts(): Promise<string[]> {
  let parts: unknown;
  try {
    parts = (JSON.parse(await readFile(path.join(RESULTS_DIR, 'activation-bench.json'), 'utf8')) as { parts?: unknown }).parts;
  } catch {
    return [];
  }
  if (typeof parts !== 'object' || parts === null) {
    return [];
  }
  const lines = Object.entries(parts).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
  return lines.length === 0
    ? []
    : [
        `Activation, part by part (a timed copy of the VSIX, median of its window loads): ${lines.map(([part, ms]) => `${part.trim()}: ${ms.toFixed(1)} ms`).join('; ')}.`,
      ];
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
