import assert from 'node:assert/strict';
import type { Environment } from '../../src/core/profiles/environments';
import { statusBarView } from '../../src/core/tokens/statusBarView';

const now = Date.UTC(2026, 10, 22, 9, 0, 0);
const profile = { name: 'sandbox', environment: 'sandbox', apiKey: 'key' } as const;
const environment: Environment = {
  kind: 'sandbox',
  issuer: 'http://127.0.0.1:4500/oauth2/sandbox',
  apiBaseUrl: 'http://127.0.0.1:4500/api',
  subscriptionsUrl: 'http://127.0.0.1:4500/subscriptions/v1/solution/subscriptions',
};
const renewal = { enabled: true, beforeExpiryMs: 5 * 60_000 };
const token = (remainingMs: number) => ({
  accessToken: 'eyJ.secret.token',
  tokenType: 'Bearer',
  scope: 'anonymous',
  receivedAt: now + remainingMs - 3_600_000,
  expiresAt: now + remainingMs,
});

describe('status bar view', () => {
  it("shows a browser-signed-in user's token with its own label and says how it is renewed", () => {
    const withRefresh = statusBarView({ subject: 'user', profile, environment, token: { ...token(58 * 60_000), refreshToken: 'r' }, renewal }, now);
    assert.equal(withRefresh.text, '$(account) Fortellis user: sandbox · 58m');
    assert.match(withRefresh.tooltip, /with the refresh token/);
    const without = statusBarView({ subject: 'user', profile, environment, token: token(58 * 60_000), renewal }, now);
    assert.match(without.tooltip, /No refresh token: sign in with the browser again/);
  });

  it('offers to get a token when there is no profile or no token', () => {
    const none = statusBarView({ subject: 'app', profile: undefined, environment: undefined, token: undefined, renewal }, now);
    assert.equal(none.text, '$(key) Fortellis');
    assert.equal(none.action, 'getToken');
    const noToken = statusBarView({ subject: 'app', profile, environment, token: undefined, renewal }, now);
    assert.equal(noToken.text, '$(key) Fortellis: sandbox · no token');
    assert.equal(noToken.action, 'getToken');
  });

  it('counts down, with the environment, scopes and exact expiry in the tooltip and never the token', () => {
    const view = statusBarView({ subject: 'app', profile, environment, token: token(42 * 60_000 + 10_000), renewal }, now);
    assert.equal(view.text, '$(key) Fortellis: sandbox · 42m');
    assert.equal(view.urgency, 'ok');
    assert.equal(view.action, 'tokenActions');
    assert.match(view.tooltip, /Local sandbox/);
    assert.match(view.tooltip, /127\.0\.0\.1:4500\/oauth2\/sandbox/);
    assert.match(view.tooltip, /Scopes: anonymous/);
    assert.match(view.tooltip, /2026-11-22T09:42:10\.000Z/);
    assert.doesNotMatch(view.tooltip, /secret\.token/);
    assert.equal(view.refreshInMs, 10_001);
  });

  it('turns to the warning colour inside the renewal window and the error colour once expired', () => {
    assert.equal(statusBarView({ subject: 'app', profile, environment, token: token(4 * 60_000), renewal }, now).urgency, 'warning');
    const expired = statusBarView({ subject: 'app', profile, environment, token: token(-1), renewal }, now);
    assert.equal(expired.urgency, 'expired');
    assert.equal(expired.text, '$(key) Fortellis: sandbox · expired');
    assert.equal(expired.refreshInMs, undefined);
  });

  it('for a token shorter than the renewal setting, warns only in the lead the renewal really uses (half its lifetime)', () => {
    const short = (remainingMs: number) => ({ ...token(remainingMs), receivedAt: now + remainingMs - 120_000 });
    assert.equal(statusBarView({ subject: 'app', profile, environment, token: short(90_000), renewal }, now).urgency, 'ok');
    const inLead = statusBarView({ subject: 'app', profile, environment, token: short(50_000), renewal }, now);
    assert.equal(inLead.urgency, 'warning');
    assert.match(inLead.tooltip, /Renewed automatically 1 min before expiry/);
  });
});
