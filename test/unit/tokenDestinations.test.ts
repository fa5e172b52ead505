import assert from 'node:assert/strict';
import { confirmHostMessage, hostToConfirm, trustedApiBase } from '../../src/core/apiRequests/tokenDestinations';
import { resolveEnvironment, type Profile } from '../../src/core/profiles/profiles';

const sandboxSettings = {
  issuer: 'http://127.0.0.1:4500/oauth2/sandbox',
  apiBaseUrl: 'http://127.0.0.1:4500/api',
  subscriptionsUrl: 'http://127.0.0.1:4500/subscriptions/v1/solution/subscriptions',
};
const production: Profile = { name: 'prod', environment: 'production', apiKey: 'key' };
const custom: Profile = { name: 'dev', environment: 'custom', apiKey: 'key', issuer: 'https://identity-dev.fortellis.io/oauth2/aus1ni5i9n9WkzcYa2p7' };
const none = new Set<string>();

describe('Where the token may go without asking', () => {
  it("anywhere under the environment's API base", () => {
    const base = trustedApiBase(production, resolveEnvironment(production, sandboxSettings));
    assert.equal(base, 'https://api.fortellis.io');
    assert.equal(hostToConfirm('https://api.fortellis.io/cdk/sales/v1/vehicles?vin=1', base, none), undefined);
    assert.equal(hostToConfirm('https://API.fortellis.io/x', base, none), undefined);
  });

  it('asks, naming the host, for any other host, a look-alike, another scheme or port, or credentials in the URL', () => {
    const base = 'https://api.fortellis.io';
    assert.equal(hostToConfirm('https://attacker.example/collect', base, none), 'attacker.example');
    assert.equal(hostToConfirm('https://api.fortellis.io.attacker.example/x', base, none), 'api.fortellis.io.attacker.example');
    assert.equal(hostToConfirm('https://api.fortellis.io:8443/x', base, none), 'api.fortellis.io:8443');
    assert.equal(hostToConfirm('https://user@api.fortellis.io/x', base, none), 'api.fortellis.io');
    assert.equal(hostToConfirm('http://127.0.0.1:4500/other', 'http://127.0.0.1:4500/api', none), '127.0.0.1:4500');
    assert.equal(hostToConfirm('http://127.0.0.1:4500/apiary', 'http://127.0.0.1:4500/api', none), '127.0.0.1:4500');
  });

  it('asks once per host: a host the user allowed is not asked again', () => {
    assert.equal(hostToConfirm('https://attacker.example/a', 'https://api.fortellis.io', new Set(['attacker.example'])), undefined);
    assert.equal(hostToConfirm('https://other.example/a', 'https://api.fortellis.io', new Set(['attacker.example'])), 'other.example');
  });

  it('a Custom profile without its own API base trusts no host, not even Fortellis production', () => {
    const environment = resolveEnvironment(custom, sandboxSettings);
    assert.equal(trustedApiBase(custom, environment), undefined);
    assert.equal(hostToConfirm('https://api.fortellis.io/cdk/x', undefined, none), 'api.fortellis.io');
    assert.equal(
      trustedApiBase(
        { ...custom, apiBaseUrl: 'https://api-dev.fortellis.io/' },
        resolveEnvironment({ ...custom, apiBaseUrl: 'https://api-dev.fortellis.io/' }, sandboxSettings),
      ),
      'https://api-dev.fortellis.io',
    );
  });

  it("a Custom profile sends nothing to Fortellis' production subscriptions endpoint unless configured", () => {
    assert.equal(resolveEnvironment(custom, sandboxSettings).subscriptionsUrl, '');
    assert.equal(resolveEnvironment({ ...custom, subscriptionsUrl: 'https://subs.example/v1' }, sandboxSettings).subscriptionsUrl, 'https://subs.example/v1');
  });

  it('the question names the host and the profile', () => {
    assert.equal(
      confirmHostMessage('attacker.example', 'prod', 'https://api.fortellis.io'),
      'Send the token of "prod" to attacker.example? attacker.example is not under this environment\'s API base (https://api.fortellis.io): whoever runs it can call Fortellis APIs with it until it expires.',
    );
  });
});
