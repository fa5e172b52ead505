import { countdownLabel, msUntilDisplayChanges, type Urgency, urgency } from './countdown';
import { ENVIRONMENT_LABELS, type Environment } from '../profiles/environments';
import type { Profile } from '../profiles/profiles';
import { effectiveLeadMs, type RenewalPolicy } from './renewalSchedule';
import type { IssuedToken } from './token';

/** What the status bar shows for a state, at a moment. Free of VS Code so it can be tested directly. */
export interface StatusBarView {
  readonly text: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly urgency: Urgency | 'none';
  /** What a click does: get a token, or open the token actions. */
  readonly action: 'getToken' | 'tokenActions';
  /** ms until the view changes by itself, or undefined when it only changes on an event. */
  readonly refreshInMs: number | undefined;
}

export interface StatusBarState {
  /** The app's client-credentials token, or the token of the user signed in with the browser. */
  readonly subject: 'app' | 'user';
  readonly profile: Profile | undefined;
  readonly environment: Environment | undefined;
  readonly token: IssuedToken | undefined;
  readonly renewal: RenewalPolicy;
  /** The requests of this profile use this token (Choose Token…). */
  readonly inUse?: boolean;
}

export function statusBarView(state: StatusBarState, now: number): StatusBarView {
  const { profile, environment, token, renewal } = state;
  const user = state.subject === 'user';
  if (!profile || !environment) {
    return {
      text: '$(key) Fortellis',
      tooltip: 'No Fortellis profile yet. Click to add one and get a token.',
      urgency: 'none',
      action: 'getToken',
      refreshInMs: undefined,
    };
  }
  const where = `${ENVIRONMENT_LABELS[environment.kind]} (\`${environment.issuer}\`)`;
  if (!token) {
    return {
      text: `$(key) Fortellis: ${profile.name} · no token`,
      tooltip: `**Fortellis** profile \`${profile.name}\`\n\n${where}\n\nNo token yet. Click to get one.`,
      urgency: 'none',
      action: 'getToken',
      refreshInMs: undefined,
    };
  }
  const remaining = token.expiresAt - now;
  // The lead the renewal uses: the setting, within the token's lifetime.
  const leadMs = effectiveLeadMs(token, renewal.beforeExpiryMs);
  const expires = new Date(token.expiresAt);
  const lines = [
    user ? `**Fortellis user token** (browser sign-in) for profile \`${profile.name}\`` : `**Fortellis token** for profile \`${profile.name}\``,
    `Environment: ${where}`,
    `Scopes: ${token.scope ?? '(none)'}`,
    `${remaining > 0 ? 'Expires' : 'Expired'}: ${expires.toLocaleString()} (${expires.toISOString()})`,
    renewalLine(state, leadMs),
    ...(state.inUse ? ['**In use** by Call API, API specs, snippets, Copy Token and the request history ("Fortellis: Choose Token…").'] : []),
    'Click for actions: copy, renew, switch profile, sign out.',
  ];
  return {
    text: `${user ? '$(account) Fortellis user' : '$(key) Fortellis'}: ${profile.name} · ${countdownLabel(remaining)}`,
    tooltip: lines.join('\n\n'),
    urgency: urgency(remaining, leadMs),
    action: 'tokenActions',
    refreshInMs: msUntilDisplayChanges(remaining, leadMs),
  };
}

function renewalLine({ subject, token, renewal }: StatusBarState, leadMs: number): string {
  if (!renewal.enabled) {
    return 'Automatic renewal is off ("fortellis.tokenRenewal.enabled").';
  }
  if (subject === 'user' && !token?.refreshToken) {
    return 'No refresh token: sign in with the browser again when it expires.';
  }
  return `Renewed automatically ${leadMs >= 60_000 ? `${Math.round(leadMs / 60_000)} min` : `${Math.round(leadMs / 1000)} s`} before expiry${subject === 'user' ? ', with the refresh token' : ''}.`;
}
