import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { basicAuthorization, requestClientCredentialsToken } from '../../../src/core/tokens/tokenRequests';
import { type TokenErrorKind, TokenRequestError } from '../../../src/core/tokens/tokenErrors';
import { type Sandbox, startSandbox } from '../../sandbox/sandboxServer';
import { settle } from '../helpers/fakeClock';
import { json, startServer, type TestServer } from '../helpers/misbehavingServer';
import { LifecycleUnderTest } from './lifecycleUnderTest';
import { type Fault, type FaultProxy, startFaultProxy } from './faultProxy';
import { answer, type Download, endlessBody, htmlPage, hugeBody, jsonAnswer, redirectTo, resetMidBody, stall, tokenResponse } from './faults';
import { type FaultRow, formatAttempts, formatTable, formatWaits, yesNo } from './faultTable';
import { installOfflineDns } from './offlineDns';
import { selfSignedCertificate } from './selfSignedCertificate';

/** Short, so the stall case is quick; every other answer arrives well within it on loopback. */
const TIMEOUT_MS = 300;
const API_KEY = 'fault-injection-key';
/** Random per run, URL-safe like the secrets Okta generates. */
const API_SECRET = randomBytes(24).toString('base64url');
/** Under the TLD RFC 6761 reserves for names that must never resolve. */
const UNRESOLVABLE_HOST = 'fortellis-test.invalid';

/** Where a failing renewal lands, and how its attempts are counted there. */
interface Route {
  readonly issuer: string;
  /** What one attempt is at this route: an HTTP request, a TLS handshake, a DNS lookup. */
  readonly unit: string;
  attempts(): number;
  restore(): void;
}

interface FaultCase {
  readonly name: string;
  readonly route: () => Route;
  readonly kind: TokenErrorKind;
  readonly message: RegExp;
  /** 1, or 3 (all attempts) for the failures worth retrying. */
  readonly attempts: number;
  /** The sleep calls between attempts. */
  readonly waits: readonly number[];
  /** What else this fault must not cause; runs even when the common assertions fail. */
  readonly alsoCheck?: (error: unknown) => Promise<void>;
}

/** What a failing renewal did to the core. */
interface Outcome {
  readonly error: unknown;
  readonly attempts: number;
  readonly unit: string;
  readonly waits: readonly number[];
  readonly tokenStillServed: boolean;
  readonly credentialsIntact: boolean;
  /** Every store entry, the cached token's included, is as before, and the cache reported no change. */
  readonly nothingStored: boolean;
  readonly secretAbsent: boolean;
  readonly unhandledRejections: number;
}

const NOT_RETRIED = { attempts: 1, waits: [] } as const;
/** The token client's own backoff: 500 ms, then 1 s. */
const BACKED_OFF = { attempts: 3, waits: [500, 1000] } as const;
/** The server's Retry-After (1 s) wins over the backoff. */
const AS_ASKED = { attempts: 3, waits: [1000, 1000] } as const;

let sandbox: Sandbox;
let proxy: FaultProxy;
let tlsProxy: FaultProxy;
/** Where the redirect points: it must never see a request. */
let elsewhere: TestServer;
const endless = endlessBody();
/** Tokens the sandbox issued through the proxy, kept only to prove they appear nowhere. */
const primedTokens: string[] = [];
const unhandledRejections: unknown[] = [];
const recordUnhandledRejection = (reason: unknown) => unhandledRejections.push(reason);
const rows: FaultRow[] = [];
const failures: string[] = [];

function issuerAt(origin: string): string {
  return `${origin}${new URL(sandbox.issuer).pathname}`;
}

function throughProxy(fault: Fault): Route {
  proxy.switchTo(fault);
  return { issuer: issuerAt(proxy.origin), unit: 'request', attempts: () => proxy.requests, restore: () => proxy.switchTo(undefined) };
}

/** The https proxy forwards to the sandbox: only its certificate is wrong. */
function untrustedCertificate(): Route {
  const server = tlsProxy;
  server.switchTo(undefined);
  return { issuer: issuerAt(server.origin), unit: 'TLS handshake', attempts: () => server.connections, restore: () => undefined };
}

/** https, because plain http to a host that is not loopback is refused before any lookup. */
function unresolvableHost(): Route {
  const dns = installOfflineDns();
  return { issuer: `https://${UNRESOLVABLE_HOST}/oauth2/sandbox`, unit: 'DNS lookup', attempts: () => dns.lookups.length, restore: () => dns.uninstall() };
}

function expiresInCase(label: string, expiresIn: unknown, described: string): FaultCase {
  return {
    name: `expires_in ${label}`,
    route: () => throughProxy(jsonAnswer(200, tokenResponse({ expires_in: expiresIn }))),
    kind: 'malformed-response',
    message: new RegExp(`sent a token without a valid expires_in \\(${described}\\), so its expiry is unknown\\. The token was not used`),
    ...NOT_RETRIED,
  };
}

/** Polls until the condition holds or `ms` have passed; whether it held. */
async function eventually(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) {
    await delay(20);
  }
  return condition();
}

/** The client must hang up once it has given up on a body, or it goes on reading it with no timeout left. */
async function clientHangsUp(download: () => Download): Promise<void> {
  const atError = download().bytes;
  const within = TIMEOUT_MS + 200;
  try {
    const hungUp = await eventually(() => download().closed, within);
    const moreMb = ((download().bytes - atError) / 1024 / 1024).toFixed(1);
    assert.ok(hungUp, `${within} ms after reporting the error the client still reads the body (${moreMb} MB more so far); no timeout applies to it any more`);
  } finally {
    endless.stop();
  }
}

/** Server text reaches messages, and through them the log: a line break in it would forge a log line. */
async function onePrintableLine(error: unknown): Promise<void> {
  assert.ok(!/[\u0000-\u001f\u007f]/.test(String((error as Error | undefined)?.message)), 'the message carries control characters from the server');
}

async function redirectNotFollowed(error: unknown): Promise<void> {
  assert.equal(elsewhere.requests.length, 0, 'the other host received a request');
  assert.ok(String((error as Error | undefined)?.message).includes(new URL(elsewhere.origin).host), 'the message names where the redirect pointed');
}

const CASES: readonly FaultCase[] = [
  {
    name: '500',
    route: () => throughProxy(jsonAnswer(500, { error: 'server_error' })),
    kind: 'server-error',
    message: /^127\.0\.0\.1:\d+ failed with HTTP 500\. This is on the server's side/,
    ...NOT_RETRIED,
  },
  {
    name: '502 (HTML)',
    route: () => throughProxy(htmlPage(502, '502 Bad Gateway')),
    kind: 'server-error',
    message: /failed with HTTP 502 \(an HTML error page\)\. This is on the server's side/,
    ...BACKED_OFF,
  },
  {
    name: '503 with Retry-After: 1',
    route: () => throughProxy(jsonAnswer(503, { error: 'temporarily_unavailable' }, { 'Retry-After': '1' })),
    kind: 'server-error',
    message: /failed with HTTP 503\. This is on the server's side/,
    ...AS_ASKED,
  },
  {
    name: '504 (HTML)',
    route: () => throughProxy(htmlPage(504, '504 Gateway Time-out')),
    kind: 'server-error',
    message: /failed with HTTP 504 \(an HTML error page\)/,
    ...BACKED_OFF,
  },
  {
    name: '429 with Retry-After: 1',
    // Okta's rate-limit body.
    route: () =>
      throughProxy(jsonAnswer(429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }, { 'Retry-After': '1' })),
    kind: 'rate-limited',
    message: /is rate-limiting token requests \(HTTP 429\); it asks to wait 1 s/,
    ...AS_ASKED,
  },
  {
    name: '400 invalid_client',
    route: () => throughProxy(jsonAnswer(400, { error: 'invalid_client', error_description: 'client authentication failed' })),
    kind: 'invalid-credentials',
    message: /rejected the API key or secret \(invalid_client\)\. Re-enter them/,
    ...NOT_RETRIED,
  },
  {
    name: '400 invalid_scope',
    route: () => throughProxy(jsonAnswer(400, { error: 'invalid_scope', error_description: 'The following scopes are not allowed: anonymous' })),
    kind: 'invalid-scope',
    message: /rejected the requested scope \(The following scopes are not allowed: anonymous\)\. Client-credentials tokens need scope "anonymous"/,
    ...NOT_RETRIED,
  },
  {
    name: '401 without a body',
    route: () => throughProxy(answer(401, '', { 'WWW-Authenticate': 'Basic realm="fortellis"' })),
    kind: 'invalid-credentials',
    message: /rejected the API key or secret \(HTTP 401\)/,
    ...NOT_RETRIED,
  },
  {
    name: '400 unknown error code with a line break',
    route: () => throughProxy(jsonAnswer(400, { error: 'server_busy\n[info] Token received: Bearer, scope anonymous' })),
    kind: 'oauth-error',
    message: /refused the token request: server_busy/,
    ...NOT_RETRIED,
    alsoCheck: onePrintableLine,
  },
  {
    name: 'HTML error page (403)',
    route: () => throughProxy(htmlPage(403, 'Access Denied')),
    kind: 'not-json',
    message: /answered HTTP 403 with an HTML page instead of a JSON token response/,
    ...NOT_RETRIED,
  },
  {
    name: 'malformed JSON',
    route: () => throughProxy(answer(200, '{"access_token":"fault-proxy-token","expires_in":36', { 'Content-Type': 'application/json' })),
    kind: 'not-json',
    message: /answered HTTP 200 with a body that is not JSON \(application\/json\)/,
    ...NOT_RETRIED,
  },
  {
    name: 'empty body',
    route: () => throughProxy(answer(200, '', { 'Content-Type': 'application/json' })),
    kind: 'not-json',
    message: /answered HTTP 200 with an empty body instead of a JSON token response/,
    ...NOT_RETRIED,
  },
  {
    name: 'JSON without access_token',
    route: () => throughProxy(jsonAnswer(200, tokenResponse({ access_token: undefined }))),
    kind: 'malformed-response',
    message: /answered without an access_token/,
    ...NOT_RETRIED,
  },
  expiresInCase('missing', undefined, 'missing'),
  expiresInCase('0', 0, '0'),
  expiresInCase('negative', -60, '-60'),
  expiresInCase('a string', '3600', 'the string "3600"'),
  {
    name: '10 MB body',
    route: () => throughProxy(hugeBody(10 * 1024 * 1024)),
    kind: 'malformed-response',
    message: /sent a response larger than 256 KB: that is not a token response/,
    ...NOT_RETRIED,
  },
  {
    name: 'endless body',
    route: () => throughProxy(endless.fault),
    kind: 'malformed-response',
    message: /sent a response larger than 256 KB: that is not a token response/,
    ...NOT_RETRIED,
    alsoCheck: () => clientHangsUp(endless.download),
  },
  {
    name: `stall past the timeout (${TIMEOUT_MS} ms)`,
    route: () => throughProxy(stall),
    kind: 'timeout',
    message: /did not answer within \d+ m?s\. Try again, or raise "fortellis\.http\.timeoutSeconds"/,
    ...NOT_RETRIED,
  },
  {
    name: 'connection reset mid-body',
    route: () => throughProxy(resetMidBody),
    kind: 'unreachable',
    message: /Could not reach 127\.0\.0\.1:\d+: the connection was reset \(ECONNRESET\)/,
    ...BACKED_OFF,
  },
  {
    name: 'TLS: self-signed certificate',
    route: untrustedCertificate,
    kind: 'tls',
    message: /The TLS certificate of 127\.0\.0\.1:\d+ was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    ...NOT_RETRIED,
  },
  {
    name: `unresolvable host (${UNRESOLVABLE_HOST})`,
    route: unresolvableHost,
    kind: 'unreachable',
    message: /Could not reach fortellis-test\.invalid: the host name does not resolve \(ENOTFOUND\)/,
    ...NOT_RETRIED,
  },
  {
    name: 'redirect to another host',
    route: () => throughProxy(redirectTo(`${issuerAt(elsewhere.origin)}/v1/token`)),
    kind: 'redirect',
    message: /redirected the token request to 127\.0\.0\.1:\d+\. A token endpoint does not redirect/,
    ...NOT_RETRIED,
    alsoCheck: redirectNotFollowed,
  },
];

/** The secret in every form it travels in, and the tokens: none may appear in a message or a log line. */
function confidential(): string[] {
  const basic = basicAuthorization({ apiKey: API_KEY, apiSecret: API_SECRET }).slice('Basic '.length);
  return [API_SECRET, encodeURIComponent(API_SECRET), basic, ...primedTokens];
}

/** Text fit for the test output: anything confidential replaced. */
function scrub(text: string): string {
  return confidential().reduce((result, value) => result.split(value).join('[confidential]'), text);
}

function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Primes the cache with a real sandbox token, switches the route to the fault, renews, then reads the cache again. */
async function observe(faultCase: FaultCase): Promise<Outcome> {
  const core = await LifecycleUnderTest.create({ apiKey: API_KEY, apiSecret: API_SECRET, issuer: issuerAt(proxy.origin), timeoutMs: TIMEOUT_MS });
  proxy.switchTo(undefined);
  const primed = await core.get();
  primedTokens.push(primed.accessToken);
  const storedBefore = new Map(core.store.entries);
  const changesBefore = core.changes.length;
  const rejectionsBefore = unhandledRejections.length;
  sandbox.resetStats();
  const route = faultCase.route();
  try {
    const error = await rejectionOf(core.renew(route.issuer));
    const attempts = route.attempts();
    const served = await core.get(route.issuer).catch(() => undefined);
    await settle();
    const texts = [String(error), (error as Error | undefined)?.stack ?? '', ...core.retryMessages, ...core.logLines];
    return {
      error,
      attempts,
      unit: route.unit,
      waits: [...core.waits],
      tokenStillServed: served?.accessToken === primed.accessToken && route.attempts() === attempts && sandbox.stats().tokenRequests === 0,
      credentialsIntact: sameBytes(core.store.entries.get(core.credentialKey), storedBefore.get(core.credentialKey)),
      nothingStored: sameEntries(core.store.entries, storedBefore) && core.changes.length === changesBefore,
      secretAbsent: !texts.some((text) => confidential().some((value) => text.includes(value))),
      unhandledRejections: unhandledRejections.length - rejectionsBefore,
    };
  } finally {
    route.restore();
  }
}

function sameBytes(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => sameBytes(value, b.get(key)));
}

function rowOf(faultCase: FaultCase, outcome: Outcome): FaultRow {
  const { error } = outcome;
  return {
    case: faultCase.name,
    kind: error instanceof TokenRequestError ? error.kind : error === undefined ? '(no error)' : String((error as Error).name),
    requests: formatAttempts(outcome.attempts, outcome.unit),
    retriedWaits: formatWaits(outcome.waits),
    tokenStillServed: yesNo(outcome.tokenStillServed),
    credentialsIntact: yesNo(outcome.credentialsIntact),
    secretAbsent: yesNo(outcome.secretAbsent),
  };
}

function assertOutcome(faultCase: FaultCase, outcome: Outcome): void {
  const { error } = outcome;
  assert.ok(error instanceof TokenRequestError, `expected a TokenRequestError, got ${error === undefined ? 'a token' : scrub(String(error))}`);
  assert.equal(error.kind, faultCase.kind, scrub(error.message));
  assert.ok(faultCase.message.test(error.message), `"${scrub(error.message)}" does not match ${faultCase.message}`);
  assert.ok(outcome.secretAbsent, 'the secret or a token appears in an error message or a log line');
  assert.ok(outcome.credentialsIntact, 'the stored API secret changed');
  assert.ok(outcome.nothingStored, 'the failure changed the store or the cache');
  assert.ok(outcome.tokenStillServed, 'the still-valid token was not served from the cache without a request');
  assert.equal(outcome.attempts, faultCase.attempts, `${outcome.unit}s`);
  assert.equal(error.retryable, faultCase.attempts > 1, 'retryable exactly when retried');
  assert.deepEqual(outcome.waits, faultCase.waits, 'the waits between attempts');
  assert.equal(outcome.unhandledRejections, 0, 'unhandled rejections');
}

/** The case's own check, started at once (it may need to watch for a while) and settled even if the common assertions fail. */
async function checkOutcome(faultCase: FaultCase, outcome: Outcome): Promise<void> {
  const extra = rejectionOf(faultCase.alsoCheck?.(outcome.error) ?? Promise.resolve());
  assertOutcome(faultCase, outcome);
  const extraFailure = await extra;
  if (extraFailure !== undefined) {
    throw extraFailure;
  }
}

describe('fault injection: a misbehaving server or network between the extension core and the sandbox', () => {
  let started: number;

  before(async () => {
    started = Date.now();
    process.on('unhandledRejection', recordUnhandledRejection);
    sandbox = await startSandbox({ clients: [{ clientId: API_KEY, clientSecret: API_SECRET }] });
    const upstream = new URL(sandbox.issuer).origin;
    proxy = await startFaultProxy(upstream);
    // openssl is one of test/host/debian-packages.txt: a missing one fails the suite rather than skipping the case.
    tlsProxy = await startFaultProxy(upstream, selfSignedCertificate());
    elsewhere = await startServer((_req, res) => json(res, 200, tokenResponse({})));
    // The sandbox's first token takes longer than TIMEOUT_MS (compilation, first signature): not a fault.
    await requestClientCredentialsToken(sandbox.issuer, { apiKey: API_KEY, apiSecret: API_SECRET }, { timeoutMs: 5000, maxAttempts: 1 });
  });

  after(async () => {
    process.off('unhandledRejection', recordUnhandledRejection);
    await Promise.all([proxy?.close(), tlsProxy?.close(), elsewhere?.close(), sandbox?.close()]);
    console.log(`\n${formatTable(rows)}\n`);
    failures.forEach((failure) => console.log(`  failed: ${failure}`));
    console.log(`  ${rows.length} cases in ${Date.now() - started} ms, sandbox start included.\n`);
    assert.equal(unhandledRejections.length, 0, 'unhandled rejections during the suite');
  });

  for (const faultCase of CASES) {
    it(faultCase.name, async () => {
      const outcome = await observe(faultCase);
      const row = rowOf(faultCase, outcome);
      try {
        await checkOutcome(faultCase, outcome);
        rows.push(row);
      } catch (failure) {
        rows.push({ ...row, case: `${row.case} (FAILED)` });
        failures.push(`${faultCase.name}: ${scrub((failure as Error).message)}`);
        throw failure;
      }
    });
  }
});
