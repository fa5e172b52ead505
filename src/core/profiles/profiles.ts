/**
 * Profiles: an app's API key bound to one Fortellis environment. Only non-secret parts live here
 * (they come from settings); the API secret is kept in SecretStorage under credentialKey(profile).
 */
import type { CallbackMode } from '../signIn/callbackModes';
import {
  type Environment,
  type EnvironmentKind,
  issuerProblem,
  PRODUCTION_API_BASE_URL,
  PRODUCTION_ISSUER,
  PRODUCTION_SUBSCRIPTIONS_URL,
  withoutTrailingSlash,
} from './environments';

export interface Profile {
  readonly name: string;
  readonly environment: EnvironmentKind;
  /** The app's API key, which OAuth calls the client id. Not a secret. */
  readonly apiKey: string;
  readonly subscriptionId?: string;
  /** Custom environments only. */
  readonly issuer?: string;
  readonly apiBaseUrl?: string;
  /** Custom environments only: where the app's subscriptions are listed. None by default (nothing is listed). */
  readonly subscriptionsUrl?: string;
  /** Call the test namespace of an API, e.g. /cdk-test/… instead of /cdk/…. */
  readonly useTestNamespace?: boolean;
  /** How a browser sign-in's redirect reaches VS Code. Default: the URI handler. */
  readonly callbackMode?: CallbackMode;
}

export interface SandboxEnvironmentSettings {
  readonly issuer: string;
  readonly apiBaseUrl: string;
  readonly subscriptionsUrl: string;
}

const ENVIRONMENT_KINDS: readonly EnvironmentKind[] = ['production', 'sandbox', 'custom'];
const CALLBACK_MODES: readonly CallbackMode[] = ['uriHandler', 'loopback', 'paste'];

export function resolveEnvironment(profile: Profile, sandbox: SandboxEnvironmentSettings): Environment {
  switch (profile.environment) {
    case 'production':
      return { kind: 'production', issuer: PRODUCTION_ISSUER, apiBaseUrl: PRODUCTION_API_BASE_URL, subscriptionsUrl: PRODUCTION_SUBSCRIPTIONS_URL };
    case 'sandbox':
      return {
        kind: 'sandbox',
        issuer: withoutTrailingSlash(sandbox.issuer),
        apiBaseUrl: withoutTrailingSlash(sandbox.apiBaseUrl),
        subscriptionsUrl: sandbox.subscriptionsUrl,
      };
    case 'custom':
      return {
        kind: 'custom',
        issuer: withoutTrailingSlash(profile.issuer ?? ''),
        apiBaseUrl: withoutTrailingSlash(profile.apiBaseUrl ?? PRODUCTION_API_BASE_URL),
        // Nothing goes to Fortellis production unless the user configures it: no subscriptions URL, no listing.
        subscriptionsUrl: profile.subscriptionsUrl ?? '',
      };
  }
}

/**
 * Where a profile's secret is kept. It names the issuer and the key too, so a secret entered for one
 * server is never sent to another when the profile is edited to point elsewhere.
 */
export function credentialKey(profile: Profile, environment: Environment): string {
  return `apiSecret:${JSON.stringify([profile.name, environment.issuer, profile.apiKey])}`;
}

/** Where a profile's client-credentials token is cached. */
export function clientCredentialsCacheKey(profile: Profile, environment: Environment): string {
  return JSON.stringify([profile.name, environment.issuer, profile.apiKey, 'client_credentials']);
}

/** Where the token of the user signed in with the profile's app is cached (with its refresh token). */
export function userCacheKey(profile: Profile, environment: Environment): string {
  return JSON.stringify([profile.name, environment.issuer, profile.apiKey, 'user']);
}

export function profileNameProblem(name: string, others: readonly Profile[]): string | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0) {
    return 'Give the profile a name, e.g. "sandbox" or "my-app-prod".';
  }
  if (trimmed.length > 40) {
    return 'Keep the name under 40 characters: it is shown in the status bar.';
  }
  if (others.some((profile) => profile.name === trimmed)) {
    return `A profile named "${trimmed}" exists already.`;
  }
  return undefined;
}

export function apiKeyProblem(key: string): string | undefined {
  const trimmed = key.trim();
  if (trimmed.length === 0) {
    return "Paste the API key from your app's page on Fortellis (Apps → your app → API key).";
  }
  if (/\s/.test(trimmed)) {
    return 'An API key has no spaces.';
  }
  return undefined;
}

export function apiSecretProblem(secret: string, apiKey: string): string | undefined {
  if (secret.length === 0) {
    return 'Paste the API secret shown next to the API key.';
  }
  if (secret.trim() !== secret) {
    return 'The secret starts or ends with a space: paste it again without it.';
  }
  if (secret === apiKey) {
    return 'That is the API key again: paste the API secret.';
  }
  return undefined;
}

/**
 * Reads the profiles setting, keeping every valid entry. Entries that cannot be used are reported,
 * not silently dropped, so a typo in settings.json gets a message.
 */
export function parseProfiles(raw: unknown): { profiles: Profile[]; problems: string[] } {
  const profiles: Profile[] = [];
  const problems: string[] = [];
  if (!Array.isArray(raw)) {
    return { profiles, problems: raw === undefined ? [] : ['"fortellis.profiles" must be a list of profiles.'] };
  }
  raw.forEach((entry: unknown, index) => {
    const result = parseProfile(entry, profiles);
    if (typeof result === 'string') {
      problems.push(`Profile ${index + 1} in "fortellis.profiles": ${result}`);
    } else {
      profiles.push(result);
    }
  });
  return { profiles, problems };
}

function parseProfile(entry: unknown, earlier: readonly Profile[]): Profile | string {
  if (typeof entry !== 'object' || entry === null) {
    return 'not an object.';
  }
  const value = entry as Record<string, unknown>;
  const name = typeof value.name === 'string' ? value.name.trim() : '';
  const nameProblem = profileNameProblem(name, earlier);
  if (nameProblem) {
    return nameProblem;
  }
  const environment = value.environment as EnvironmentKind;
  if (!ENVIRONMENT_KINDS.includes(environment)) {
    return `"${name}" needs "environment": one of ${ENVIRONMENT_KINDS.join(', ')}.`;
  }
  const apiKey = typeof value.apiKey === 'string' ? value.apiKey.trim() : '';
  const keyProblem = apiKeyProblem(apiKey);
  if (keyProblem) {
    return `"${name}": ${keyProblem}`;
  }
  const issuer = optionalString(value.issuer);
  if (environment === 'custom') {
    const problem = issuer ? issuerProblem(issuer) : 'a custom environment needs "issuer".';
    if (problem) {
      return `"${name}": ${problem}`;
    }
  }
  return {
    name,
    environment,
    apiKey,
    subscriptionId: optionalString(value.subscriptionId),
    issuer: environment === 'custom' ? issuer : undefined,
    apiBaseUrl: environment === 'custom' ? optionalString(value.apiBaseUrl) : undefined,
    subscriptionsUrl: environment === 'custom' ? optionalString(value.subscriptionsUrl) : undefined,
    useTestNamespace: value.useTestNamespace === true,
    callbackMode: CALLBACK_MODES.includes(value.callbackMode as CallbackMode) ? (value.callbackMode as CallbackMode) : undefined,
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

/** The profile as it is written to settings: no empty or irrelevant fields. */
export function toSettingsEntry(profile: Profile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined && value !== false));
}
