import { systemClock } from '../../../src/core/tokens/clock';
import { clientCredentialsCacheKey, credentialKey, type Profile, resolveEnvironment } from '../../../src/core/profiles/profiles';
import { Redactor } from '../../../src/core/text/redaction';
import { TokenCache, type TokenFetcher } from '../../../src/core/tokens/tokenCache';
import type { IssuedToken } from '../../../src/core/tokens/token';
import { requestClientCredentialsToken } from '../../../src/core/tokens/tokenRequests';
import { TokenRequestError } from '../../../src/core/tokens/tokenErrors';
import { MemoryStore } from '../memoryStore';

/** As the extension's TokenService: up to 3 attempts for transient failures. */
const MAX_ATTEMPTS = 3;
const NO_SANDBOX_SETTINGS = { issuer: '', apiBaseUrl: '', subscriptionsUrl: '' };

export interface CoreOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The profile's issuer. */
  readonly issuer: string;
  readonly timeoutMs: number;
}

/**
 * The extension's VS Code-free core, composed as TokenService composes it: one store for secrets and tokens
 * (SecretStorage), a TokenCache on it, a log whose every line passes through the Redactor, and a fetcher that
 * reads the secret from the store and asks the token client, with retries.
 */
export class ExtensionCore {
  readonly store = new MemoryStore();
  readonly cacheKey: string;
  readonly credentialKey: string;
  /** Lines as the log channel receives them, after redaction. */
  readonly logLines: string[] = [];
  /** onRetry's messages as the token client wrote them, before redaction. */
  readonly retryMessages: string[] = [];
  /** Each wait the token client asked for between attempts. */
  readonly waits: number[] = [];
  /** Keys the cache reported as changed. */
  readonly changes: string[] = [];
  private readonly redactor = new Redactor();
  private readonly cache: TokenCache;

  private constructor(private readonly options: CoreOptions) {
    const profile: Profile = { name: 'fault-injection', environment: 'custom', apiKey: options.apiKey, issuer: options.issuer };
    const environment = resolveEnvironment(profile, NO_SANDBOX_SETTINGS);
    this.cacheKey = clientCredentialsCacheKey(profile, environment);
    this.credentialKey = credentialKey(profile, environment);
    this.cache = new TokenCache(this.store, systemClock, () => ({ enabled: false, beforeExpiryMs: 0 }), {
      onDidChange: (key) => this.changes.push(key),
      onRenewalFailed: () => undefined,
    });
  }

  /** A core whose store holds the profile's secret, as after "Add Profile". */
  static async create(options: CoreOptions): Promise<ExtensionCore> {
    const core = new ExtensionCore(options);
    await core.store.store(core.credentialKey, options.apiSecret);
    return core;
  }

  /** The profile's token, cached or requested from `issuer` (by default the profile's). */
  get(issuer = this.options.issuer): Promise<IssuedToken> {
    return this.cache.get(this.cacheKey, this.fetcher(issuer));
  }

  /** A new token from `issuer` even though the cached one is still good ("Renew Token"). */
  renew(issuer = this.options.issuer): Promise<IssuedToken> {
    return this.cache.renew(this.cacheKey, this.fetcher(issuer));
  }

  /**
   * `issuer` is where the request lands. It may differ from the profile's, as when the network under a running
   * window changes (DNS fails, a TLS-inspecting proxy appears): the cache key stays the profile's.
   */
  private fetcher(issuer: string): TokenFetcher {
    return async () => {
      const apiSecret = await this.store.get(this.credentialKey);
      if (apiSecret === undefined) {
        throw new Error('no API secret is stored');
      }
      this.redactor.add(apiSecret);
      return this.request(issuer, apiSecret);
    };
  }

  private async request(issuer: string, apiSecret: string): Promise<IssuedToken> {
    this.log('info', `POST ${issuer}/v1/token grant_type=client_credentials scope=anonymous (key ${this.options.apiKey})`);
    try {
      const token = await requestClientCredentialsToken(
        issuer,
        { apiKey: this.options.apiKey, apiSecret },
        {
          timeoutMs: this.options.timeoutMs,
          maxAttempts: MAX_ATTEMPTS,
          now: () => systemClock.now(),
          // Recorded, not waited for: the waits are asserted, and the suite stays fast.
          sleep: async (ms) => void this.waits.push(ms),
          onRetry: (message) => {
            this.retryMessages.push(message);
            this.log('warn', message);
          },
        },
      );
      this.redactor.add(token.accessToken);
      this.log('info', `Token received: ${token.tokenType}, scope ${token.scope ?? '(none)'}, expires ${new Date(token.expiresAt).toISOString()}.`);
      return token;
    } catch (error) {
      this.log('error', `Token request failed: ${describe(error)}`);
      throw error;
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.logLines.push(`[${level}] ${this.redactor.redact(message)}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof TokenRequestError) {
    return `[${error.kind}${error.details.status ? ` ${error.details.status}` : ''}] ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
