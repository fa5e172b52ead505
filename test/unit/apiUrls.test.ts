import assert from 'node:assert/strict';
import { apiUrlProblem, startingApiUrl } from '../../src/core/apiRequests/apiUrls';
import type { Environment } from '../../src/core/profiles/environments';

const production: Environment = {
  kind: 'production',
  issuer: 'https://identity.fortellis.io/oauth2/aus1p1ixy7YL8cMq02p7',
  apiBaseUrl: 'https://api.fortellis.io',
  subscriptionsUrl: 'https://subscriptions.fortellis.io/v1/solution/subscriptions',
};

describe('Request URLs', () => {
  it("start from the environment's API base", () => {
    assert.equal(startingApiUrl(production), 'https://api.fortellis.io/');
    assert.equal(startingApiUrl({ ...production, apiBaseUrl: 'http://127.0.0.1:4500/api/' }), 'http://127.0.0.1:4500/api/');
  });

  it('accept an https URL and a loopback http one', () => {
    assert.equal(apiUrlProblem('https://api.fortellis.io/cdk/sales/v1/vehicles?vin=1', production, false), undefined);
    assert.equal(apiUrlProblem('http://127.0.0.1:4500/api/echo', production, false), undefined);
  });

  it('refuse what would send the token somewhere it should not go, with the fix', () => {
    assert.deepEqual(apiUrlProblem('http://api.fortellis.io/cdk/x', production, false), {
      message: 'Refusing to send your token over plain http to api.fortellis.io: use https (http is allowed only on localhost / 127.0.0.1).',
      blocking: true,
    });
    assert.match(apiUrlProblem('api.fortellis.io/cdk', production, false)?.message ?? '', /^Enter a full URL, e\.g\. https:\/\/api\.fortellis\.io\//);
    assert.equal(apiUrlProblem('ftp://api.fortellis.io/x', production, false)?.blocking, true);
  });

  it('warn, without blocking, when a test-namespace profile calls a production namespace', () => {
    assert.deepEqual(apiUrlProblem('https://api.fortellis.io/cdk/sales/v1', production, true), {
      message: 'This profile calls test namespaces: use /cdk-test/… instead of /cdk/….',
      blocking: false,
    });
    assert.equal(apiUrlProblem('https://api.fortellis.io/cdk-test/sales/v1', production, true), undefined);
    assert.equal(apiUrlProblem('https://api.fortellis.io/cdk/sales/v1', production, false), undefined);
  });
});
