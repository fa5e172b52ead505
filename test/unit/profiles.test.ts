import assert from 'node:assert/strict';
import { INTERNAL_ISSUERS, issuerProblem, PRODUCTION_ISSUER, tokenEndpoint } from '../../src/core/profiles/environments';
import { apiSecretProblem, credentialKey, parseProfiles, type Profile, resolveEnvironment } from '../../src/core/profiles/profiles';

const sandbox = {
  issuer: 'http://127.0.0.1:4500/oauth2/sandbox/',
  apiBaseUrl: 'http://127.0.0.1:4500/api',
  subscriptionsUrl: 'http://127.0.0.1:4500/subscriptions/v1/solution/subscriptions',
};

describe('environments and profiles', () => {
  it('builds the token endpoint from an issuer, with or without a trailing slash', () => {
    assert.equal(tokenEndpoint(`${PRODUCTION_ISSUER}/`), `${PRODUCTION_ISSUER}/v1/token`);
    assert.equal(tokenEndpoint(PRODUCTION_ISSUER), `${PRODUCTION_ISSUER}/v1/token`);
  });

  it('explains the issuer mistakes developers make', () => {
    assert.equal(issuerProblem(PRODUCTION_ISSUER), undefined);
    assert.equal(issuerProblem('http://127.0.0.1:4500/oauth2/sandbox'), undefined);
    assert.equal(issuerProblem('http://localhost:4500/oauth2/sandbox'), undefined);
    assert.match(issuerProblem('http://identity.fortellis.io/oauth2/x') ?? '', /plain http/i);
    assert.match(issuerProblem('https://api.accounts.fortellis.io/oauth2/aus1ufzl27tS4FQ9X2p7') ?? '', /deprecated/);
    assert.match(issuerProblem(`${PRODUCTION_ISSUER}/v1/token`) ?? '', /without \/v1\/token/);
    assert.match(issuerProblem('identity.fortellis.io') ?? '', /full URL/);
    for (const { issuer } of INTERNAL_ISSUERS) {
      assert.equal(issuerProblem(issuer), undefined);
    }
  });

  it('resolves each environment kind to its issuer', () => {
    const base = { name: 'p', apiKey: 'key' } as const;
    assert.equal(resolveEnvironment({ ...base, environment: 'production' }, sandbox).issuer, PRODUCTION_ISSUER);
    assert.equal(resolveEnvironment({ ...base, environment: 'sandbox' }, sandbox).issuer, 'http://127.0.0.1:4500/oauth2/sandbox');
    const custom = resolveEnvironment({ ...base, environment: 'custom', issuer: INTERNAL_ISSUERS[0].issuer }, sandbox);
    assert.equal(custom.issuer, INTERNAL_ISSUERS[0].issuer);
    assert.equal(custom.apiBaseUrl, 'https://api.fortellis.io');
    assert.equal(custom.subscriptionsUrl, '', 'no listing at Fortellis production unless configured');
  });

  it('keys the secret by profile, issuer and API key, so an edited issuer never receives the old secret', () => {
    const profile: Profile = { name: 'p', environment: 'custom', apiKey: 'key', issuer: INTERNAL_ISSUERS[0].issuer };
    const moved: Profile = { ...profile, issuer: INTERNAL_ISSUERS[1].issuer };
    assert.notEqual(credentialKey(profile, resolveEnvironment(profile, sandbox)), credentialKey(moved, resolveEnvironment(moved, sandbox)));
  });

  it('keeps valid profiles from settings and names each unusable one', () => {
    const { profiles, problems } = parseProfiles([
      { name: 'sandbox', environment: 'sandbox', apiKey: 'k1' },
      { name: 'sandbox', environment: 'sandbox', apiKey: 'k2' },
      { name: 'prod', environment: 'prd', apiKey: 'k3' },
      { name: 'dev', environment: 'custom', apiKey: 'k4' },
      { name: 'dev2', environment: 'custom', apiKey: 'k5', issuer: 'http://identity-dev.fortellis.io/oauth2/x' },
      'nonsense',
    ]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['sandbox'],
    );
    assert.equal(problems.length, 5);
    assert.match(problems[0], /exists already/);
    assert.match(problems[1], /environment/);
    assert.match(problems[2], /needs "issuer"/);
    assert.match(problems[3], /plain http/i);
  });

  it('catches a swapped or padded secret before it is sent', () => {
    assert.match(apiSecretProblem('key1', 'key1') ?? '', /API key again/);
    assert.match(apiSecretProblem(' secret', 'key1') ?? '', /space/);
    assert.equal(apiSecretProblem('secret', 'key1'), undefined);
  });
});
