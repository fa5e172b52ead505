import { resolveEnvironment, credentialKey, type Profile } from '../../../src/core/profiles/profiles';
import { Redactor } from '../../../src/core/text/redaction';
import { systemClock } from '../../../src/core/tokens/clock';
import type { IssuedToken } from '../../../src/core/tokens/token';
import { TokenLifecycle, type TokenGrants } from '../../../src/core/tokens/tokenLifecycle';
import * as tokenRequests from '../../../src/core/tokens/tokenRequests';
import { MemoryStore } from '../helpers/memoryStore';

const NO_SANDBOX_SETTINGS = { issuer: '', apiBaseUrl: '', subscriptionsUrl: '' };

export interface LifecycleOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The profile's issuer. */
  readonly issuer: string;
  readonly timeoutMs: number;
}

/**
 * The extension's real TokenLifecycle, as extension.ts builds it, over an in-memory store (SecretStorage) and a log
 * whose lines are kept after redaction. Only the network is bent: `get(issuer)` and `renew(issuer)` send the token
 * request to `issuer` while the profile (and so the cache key) stays the same, as when the network under a running
 * window changes (DNS fails, a TLS-inspecting proxy appears).
 */
export class LifecycleUnderTest {
  readonly store = new MemoryStore();
  readonly credentialKey: string;
  /** Lines as the log channel receives them, after redaction. */
  readonly logLines: string[] = [];
  /** onRetry's messages as the token client wrote them, before redaction. */
  readonly retryMessages: string[] = [];
  /** Each wait the token client asked for between attempts. */
  readonly waits: number[] = [];
  /** Token changes the lifecycle reported. */
  readonly changes: number[] = [];
  private readonly profile: Profile;
  private readonly lifecycle: TokenLifecycle;
  private route: string | undefined;

  private constructor(options: LifecycleOptions) {
    this.profile = { name: 'fault-injection', environment: 'custom', apiKey: options.apiKey, issuer: options.issuer };
    this.credentialKey = credentialKey(this.profile, resolveEnvironment(this.profile, NO_SANDBOX_SETTINGS));
    const redactor = new Redactor();
    const line = (level: string) => (message: string) => this.logLines.push(`[${level}] ${redactor.redact(message)}`);
    const grants: TokenGrants = {
      ...tokenRequests,
      requestClientCredentialsToken: (issuer, credentials, requestOptions) =>
        tokenRequests.requestClientCredentialsToken(this.route ?? issuer, credentials, requestOptions),
    };
    this.lifecycle = new TokenLifecycle({
      store: this.store,
      clock: systemClock,
      settings: {
        renewal: () => ({ enabled: false, beforeExpiryMs: 300_000 }),
        http: () => ({ timeoutMs: options.timeoutMs, proxy: undefined }),
        environment: (profile) => resolveEnvironment(profile, NO_SANDBOX_SETTINGS),
        profileNamed: (name) => (name === this.profile.name ? this.profile : undefined),
      },
      log: {
        info: line('info'),
        warn: (message) => {
          if (/Trying again in/.test(message)) {
            this.retryMessages.push(message);
          }
          line('warn')(message);
        },
        error: line('error'),
      },
      redactor,
      grants: async () => grants,
      // Recorded, not waited for: the waits are asserted, and the suite stays fast.
      sleep: async (ms) => void this.waits.push(ms),
    });
    this.lifecycle.onDidChangeTokens(() => this.changes.push(Date.now()));
  }

  /** A lifecycle whose store holds the profile's secret, as after "Add Profile". */
  static async create(options: LifecycleOptions): Promise<LifecycleUnderTest> {
    const core = new LifecycleUnderTest(options);
    await core.store.store(core.credentialKey, options.apiSecret);
    return core;
  }

  /** The profile's token, cached or requested from `issuer` (by default the profile's). */
  get(issuer?: string): Promise<IssuedToken> {
    this.route = issuer;
    return this.lifecycle.appToken(this.profile);
  }

  /** A new token from `issuer` even though the cached one is still good ("Renew Token"). */
  renew(issuer?: string): Promise<IssuedToken> {
    this.route = issuer;
    return this.lifecycle.renewAppToken(this.profile);
  }
}
