import type { Profile } from '../../../src/core/profiles/profiles';
import { resolveEnvironment } from '../../../src/core/profiles/profiles';
import { Redactor } from '../../../src/core/text/redaction';
import * as lifecycleParts from '../../../src/core/tokens/lifecycleParts';
import type { RenewalPolicy } from '../../../src/core/tokens/renewalSchedule';
import type { IssuedToken } from '../../../src/core/tokens/token';
import { TokenRequestError } from '../../../src/core/tokens/tokenErrors';
import { type ActiveState, type LifecycleOptions, TokenLifecycle, type TokenGrants } from '../../../src/core/tokens/tokenLifecycle';
import { issuedTokenFromCallback, parseTokenResponse } from '../../../src/core/tokens/tokenRequests';
import { slotAt } from '../../../src/core/tokens/tokenSlot';
import { FakeClock } from './fakeClock';
import { MemoryStore } from './memoryStore';

export const HARNESS_PROFILE: Profile = { name: 'harness', environment: 'custom', apiKey: 'harness-key', issuer: 'https://issuer.example.com/oauth2/h' };
export const HARNESS_SECRET = 'harness-secret';
const NO_SANDBOX = { issuer: '', apiBaseUrl: '', subscriptionsUrl: '' };

export interface ServerRequest {
  readonly at: number;
  readonly window: string;
  readonly grant: 'client_credentials' | 'refresh_token' | 'authorization_code';
  readonly outcome: 'ok' | 'down' | 'invalid_grant' | 'malformed';
}

/**
 * An authorization server in memory, on the fake clock: it answers token requests through the real response parser,
 * with a lifetime (expires_in) that tests choose, goes down on demand, and rotates refresh tokens, revoking the whole
 * grant when a used refresh token comes back (reuse detection, as Okta does).
 */
export class FakeAuthServer {
  /** expires_in as the server sends it: any JSON value. */
  expiresIn: unknown = 3600;
  up = true;
  latencyMs = 0;
  readonly requests: ServerRequest[] = [];
  private issued = 0;
  /** The refresh token the grant accepts now; undefined once revoked. */
  private currentRefreshToken: string | undefined;
  private readonly usedRefreshTokens = new Set<string>();

  constructor(private readonly clock: FakeClock) {}

  /** A user sign-in's tokens, as the code exchange would return them. */
  signIn(): IssuedToken {
    this.currentRefreshToken = this.next('rt');
    return {
      ...this.parse({ access_token: this.next('user-at'), token_type: 'Bearer', expires_in: this.expiresIn, scope: 'openid offline_access' }),
      refreshToken: this.currentRefreshToken,
    };
  }

  grantsFor(window: string): TokenGrants {
    return {
      requestClientCredentialsToken: async () => {
        await this.delay();
        if (!this.up) {
          this.requests.push({ at: this.clock.now(), window, grant: 'client_credentials', outcome: 'down' });
          throw new TokenRequestError('unreachable', 'Could not reach issuer.example.com: the connection was refused (ECONNREFUSED).');
        }
        const at = this.clock.now();
        try {
          const token = this.parse({ access_token: this.next('app-at'), token_type: 'Bearer', expires_in: this.expiresIn, scope: 'anonymous' });
          this.requests.push({ at, window, grant: 'client_credentials', outcome: 'ok' });
          return token;
        } catch (error) {
          this.requests.push({ at, window, grant: 'client_credentials', outcome: 'malformed' });
          throw error;
        }
      },
      requestRefreshToken: async (_issuer, _credentials, refreshToken) => {
        await this.delay();
        if (!this.up) {
          this.requests.push({ at: this.clock.now(), window, grant: 'refresh_token', outcome: 'down' });
          throw new TokenRequestError('unreachable', 'Could not reach issuer.example.com: the connection was refused (ECONNREFUSED).');
        }
        if (refreshToken !== this.currentRefreshToken) {
          if (this.usedRefreshTokens.has(refreshToken)) {
            this.currentRefreshToken = undefined; // reuse detected: the grant is revoked
          }
          this.requests.push({ at: this.clock.now(), window, grant: 'refresh_token', outcome: 'invalid_grant' });
          throw new TokenRequestError('invalid-grant', 'issuer.example.com rejected the grant: the refresh token expired or was revoked. Sign in again.', {
            status: 400,
          });
        }
        this.usedRefreshTokens.add(refreshToken);
        this.currentRefreshToken = this.next('rt');
        this.requests.push({ at: this.clock.now(), window, grant: 'refresh_token', outcome: 'ok' });
        return {
          ...this.parse({ access_token: this.next('user-at'), token_type: 'Bearer', expires_in: this.expiresIn, scope: 'openid offline_access' }),
          refreshToken: this.currentRefreshToken,
        };
      },
      requestAuthorizationCodeToken: async () => {
        throw new Error('not used by these tests');
      },
      issuedTokenFromCallback,
    };
  }

  get grantRevoked(): boolean {
    return this.currentRefreshToken === undefined;
  }

  private parse(body: Record<string, unknown>): IssuedToken {
    return parseTokenResponse('issuer.example.com', 200, { get: () => 'application/json' }, JSON.stringify(body), this.clock.now(), 'client_credentials');
  }

  private next(prefix: string): string {
    return `${prefix}-${++this.issued}`;
  }

  private delay(): Promise<void> {
    return this.latencyMs > 0 ? new Promise((resolve) => this.clock.setTimeout(resolve, this.latencyMs)) : Promise.resolve();
  }
}

export interface HarnessWindow {
  readonly name: string;
  readonly lifecycle: TokenLifecycle;
  readonly states: ActiveState[];
  readonly logLines: string[];
}

/** Windows of one VS Code over one shared store, each with its own TokenLifecycle, as extension.ts wires it. */
export class LifecycleHarness {
  readonly clock = new FakeClock();
  readonly store = new MemoryStore();
  readonly server = new FakeAuthServer(this.clock);
  renewal: RenewalPolicy = { enabled: true, beforeExpiryMs: 300_000 };
  readonly windows: HarnessWindow[] = [];
  readonly errors: unknown[] = [];
  /** Wraps the grants every window uses from then on (to watch what is sent). */
  wrapGrants: (grants: TokenGrants) => TokenGrants = (grants) => grants;

  constructor() {
    void this.store.store(`apiSecret:${JSON.stringify([HARNESS_PROFILE.name, this.environment().issuer, HARNESS_PROFILE.apiKey])}`, HARNESS_SECRET);
  }

  environment() {
    return resolveEnvironment(HARNESS_PROFILE, NO_SANDBOX);
  }

  /** What a window's lifecycle is given: the shared store, clock and server, the harness profile, a log into `logLines`. */
  lifecycleOptions(name: string, logLines: string[] = [], random = Math.random): LifecycleOptions {
    const redactor = new Redactor();
    return {
      store: this.store,
      clock: this.clock,
      settings: {
        renewal: () => this.renewal,
        http: () => ({ timeoutMs: 30_000, proxy: undefined }),
        environment: (profile) => resolveEnvironment(profile, NO_SANDBOX),
        profileNamed: (profileName) => (profileName === HARNESS_PROFILE.name ? HARNESS_PROFILE : undefined),
      },
      log: {
        info: (message) => logLines.push(`[info] ${redactor.redact(message)}`),
        warn: (message) => logLines.push(`[warn] ${redactor.redact(message)}`),
        error: (message) => logLines.push(`[error] ${redactor.redact(message)}`),
      },
      redactor,
      grants: async () => this.wrapGrants(this.server.grantsFor(name)),
      // Loaded without I/O, so that a simulated hour depends on nothing but the fake clock.
      parts: async () => lifecycleParts,
      random,
      wakeCheckMs: 30_000,
      sleep: (ms) => new Promise((resolve) => this.clock.setTimeout(resolve, ms)),
    };
  }

  async openWindow(name = `window-${this.windows.length + 1}`, random = Math.random): Promise<HarnessWindow> {
    const logLines: string[] = [];
    const states: ActiveState[] = [];
    const lifecycle = new TokenLifecycle(this.lifecycleOptions(name, logLines, random));
    lifecycle.onDidChangeActiveState((state) => states.push(state));
    this.store.onDidChange((key) => void lifecycle.storeChanged(key).catch((error: unknown) => this.errors.push(error)));
    const window = { name, lifecycle, states, logLines };
    this.windows.push(window);
    await lifecycle.setActiveProfile(HARNESS_PROFILE);
    return window;
  }

  /** Lets the fake clock run (a second at a time) until `promise` settles: leases and retries wait on it. */
  async settle<T>(promise: Promise<T>, maxMs = 10 * 60_000): Promise<T> {
    let done = false;
    const watched = promise.finally(() => (done = true));
    for (let waited = 0; !done && waited < maxMs; waited += 1_000) {
      await this.clock.advance(1_000);
    }
    return watched;
  }

  /** A window's latest app token, expired or not, as its cache reads it (no request). */
  latestAppToken(lifecycle: TokenLifecycle): Promise<IssuedToken | undefined> {
    return lifecycle.cache.latest(slotAt(HARNESS_PROFILE, 'app', this.environment()));
  }

  /** The token the store holds for the app or the user. */
  async stored(subject: 'app' | 'user'): Promise<IssuedToken | undefined> {
    const key = `token:${JSON.stringify([HARNESS_PROFILE.name, this.environment().issuer, HARNESS_PROFILE.apiKey, subject === 'app' ? 'client_credentials' : 'user'])}`;
    const value = await this.store.get(key);
    return value ? (JSON.parse(value) as IssuedToken) : undefined;
  }

  dispose(): void {
    this.windows.forEach((window) => window.lifecycle.dispose());
  }
}
