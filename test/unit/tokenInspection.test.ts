import assert from 'node:assert/strict';
import { formatTokenInspection, inspectToken, NotAJwtError, type TokenInspection } from '../../src/core/tokens/tokenChecks';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { json, startServer, type TestServer } from './helpers/misbehavingServer';
import { mintToken, sandboxAppToken, sandboxIdToken } from './helpers/sandboxTokens';

const AUDIENCE = 'api_providers';
const options = { timeoutMs: 2000 };
const DEV_ISSUER = 'https://identity-dev.fortellis.io/oauth2/aus1ni5i9n9WkzcYa2p7';

/** A fresh token's expiry, whatever second of its first minute the test runs in. */
const FRESH = /^✓ Expires in 5[89]m\.$/;

function checksOf(inspection: TokenInspection): Record<string, string> {
  return Object.fromEntries(inspection.checks.map(({ name, ok, detail }) => [name, `${ok ? '✓' : '✗'} ${detail}`]));
}

/** Compares each check with a string, or matches it with a RegExp. */
function assertChecks(inspection: TokenInspection, expected: Record<string, string | RegExp>): void {
  const checks = checksOf(inspection);
  assert.deepEqual(Object.keys(checks), ['signature', 'issuer', 'audience', 'expiry']);
  for (const [name, want] of Object.entries(expected)) {
    if (typeof want === 'string') {
      assert.equal(checks[name], want, name);
    } else {
      assert.match(checks[name], want, name);
    }
  }
}

/** The formatted text holds neither the token nor its signature. */
function assertFormattedWithoutToken(inspection: TokenInspection, token: string): string {
  const text = formatTokenInspection(inspection, { timeZone: 'UTC' });
  assert.ok(!text.includes(token), 'not the token');
  assert.ok(!text.includes(token.split('.')[2]), 'not its signature');
  return text;
}

describe('Inspect Token', () => {
  let sandbox: Sandbox;
  let token: string;
  let jwksServer: TestServer | undefined;

  before(async () => {
    sandbox = await startSandbox();
    token = await sandboxAppToken(sandbox);
  });
  afterEach(async () => {
    await jwksServer?.close();
    jwksServer = undefined;
  });
  after(() => sandbox.close());

  /** A tiny authorization server that publishes `keys` at {issuer}/v1/keys; returns its issuer. */
  async function serveKeys(keys: object[]): Promise<string> {
    jwksServer = await startServer((request, response) => {
      if (request.url === '/oauth2/other/v1/keys') {
        json(response, 200, { keys });
      } else {
        json(response, 404, { error: 'not found' });
      }
    });
    return `${jwksServer.origin}/oauth2/other`;
  }

  it('passes every check on a sandbox token, and shows its header, claims and times', async () => {
    const sandboxKeys = (await (await fetch(`${sandbox.issuer}/v1/keys`)).json()) as { keys: Array<{ kid: string }> };
    const now = new Date();
    const inspection = await inspectToken(token, { issuer: sandbox.issuer, audience: AUDIENCE }, { ...options, now });
    assertChecks(inspection, {
      signature: `✓ Signed with key "${sandboxKeys.keys[0].kid}" of ${sandbox.issuer} (RS256).`,
      issuer: `✓ iss is "${sandbox.issuer}".`,
      audience: '✓ aud is "api_providers".',
      expiry: FRESH,
    });
    assert.equal(inspection.header.alg, 'RS256');
    assert.equal(inspection.claims.cid, 'sandbox-demo-key');
    assert.deepEqual(inspection.claims.scp, ['anonymous']);
    assert.equal(inspection.expiresAt?.getTime(), Number(inspection.claims.exp) * 1000);
    assert.equal(inspection.issuedAt?.getTime(), Number(inspection.claims.iat) * 1000);
    assert.equal(inspection.timeLeftMs, Number(inspection.claims.exp) * 1000 - now.getTime());

    const text = assertFormattedWithoutToken(inspection, token);
    assert.match(
      text,
      /^# Fortellis token\n\nThe gateway should accept this token\.\n\n- ✓ signature: Signed with key "[^"]+" of http:\/\/127\.0\.0\.1:\d+\/oauth2\/sandbox \(RS256\)\.\n- ✓ issuer: /,
    );
    assert.match(text, /\n- Expires: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(5[89]m left\)\n- Issued: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/);
    assert.ok(text.includes(`## Claims\n\n\`\`\`json\n${JSON.stringify(inspection.claims, null, 2)}\n\`\`\``));
    assert.ok(text.includes(`## Header\n\n\`\`\`json\n${JSON.stringify(inspection.header, null, 2)}\n\`\`\``));
  });

  it('tolerates a pasted "Bearer " prefix, line breaks and spaces', async () => {
    const pasted = `  Bearer ${token.slice(0, 40)}\n  ${token.slice(40)}\n`;
    const inspection = await inspectToken(pasted, { issuer: sandbox.issuer, audience: AUDIENCE }, options);
    assert.ok(inspection.checks.every((check) => check.ok));
  });

  it('fails the signature of a token signed with another key, naming its kid', async () => {
    const forged = await mintToken({ iss: sandbox.issuer, aud: AUDIENCE }, 'rotated-away-2024');
    const inspection = await inspectToken(forged.token, { issuer: sandbox.issuer, audience: AUDIENCE }, options);
    assertChecks(inspection, {
      signature: `✗ ${sandbox.issuer} publishes no key "rotated-away-2024" (RS256): another server signed the token, or a key ${sandbox.issuer} no longer uses.`,
      issuer: `✓ iss is "${sandbox.issuer}".`,
      audience: '✓ aud is "api_providers".',
      expiry: FRESH,
    });
    assert.match(assertFormattedWithoutToken(inspection, forged.token), /The gateway would refuse this token:\n\n- ✗ signature: /);
  });

  it('fails the signature of a token whose payload was altered', async () => {
    const [header, , signature] = token.split('.');
    const altered = `${header}.${Buffer.from(JSON.stringify({ iss: sandbox.issuer, aud: AUDIENCE, exp: 4102444800 })).toString('base64url')}.${signature}`;
    const inspection = await inspectToken(altered, { issuer: sandbox.issuer, audience: AUDIENCE }, options);
    assert.match(
      checksOf(inspection).signature,
      /^✗ The signature does not match key "[^"]+" of http:\/\/127\.0\.0\.1:\d+\/oauth2\/sandbox: the token was altered or damaged\.$/,
    );
  });

  it('fails the audience of a token signed for another API, with the signature verified', async () => {
    const keys: object[] = [];
    const issuer = await serveKeys(keys);
    const minted = await mintToken({ iss: issuer, aud: 'some-other-api' });
    keys.push(minted.publicJwk);
    const inspection = await inspectToken(minted.token, { issuer, audience: AUDIENCE }, options);
    assertChecks(inspection, {
      signature: `✓ Signed with key "throwaway-key" of ${issuer} (RS256).`,
      issuer: `✓ iss is "${issuer}".`,
      audience: '✗ aud is "some-other-api", expected "api_providers": the gateway answers TOKEN-AUDIENCE-MISMATCH.',
      expiry: FRESH,
    });
  });

  it('recognises an ID token from a sign-in by its audience', async () => {
    const idToken = await sandboxIdToken(sandbox);
    const inspection = await inspectToken(idToken, { issuer: sandbox.issuer, audience: AUDIENCE }, options);
    assert.equal(
      checksOf(inspection).audience,
      '✗ aud is "sandbox-demo-key", expected "api_providers": the gateway answers TOKEN-AUDIENCE-MISMATCH. This looks like an ID token: send the access token instead.',
    );
    assert.ok(inspection.checks.filter((check) => check.name !== 'audience').every((check) => check.ok));
  });

  it('fails the expiry of an expired sandbox token, saying how long ago', async () => {
    const exp = Number((await inspectToken(token, { issuer: sandbox.issuer, audience: AUDIENCE }, options)).claims.exp);
    const later = new Date((exp + 5 * 60) * 1000);
    const inspection = await inspectToken(token, { issuer: sandbox.issuer, audience: AUDIENCE }, { ...options, now: later });
    assert.equal(checksOf(inspection).expiry, '✗ Expired 5m ago.');
    assert.equal(inspection.timeLeftMs, -5 * 60 * 1000);
    assert.ok(
      inspection.checks.filter((check) => check.name !== 'expiry').every((check) => check.ok),
      'the other checks still pass',
    );
    assert.match(formatTokenInspection(inspection, { timeZone: 'UTC' }), /\n- Expires: [\d-]+ [\d:]+ UTC \(expired 5m ago\)\n/);
  });

  it('fails a token that is not valid yet, and shows when it becomes valid', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 600;
    const minted = await mintToken({ iss: sandbox.issuer, aud: AUDIENCE, nbf });
    const inspection = await inspectToken(minted.token, { issuer: sandbox.issuer, audience: AUDIENCE }, { ...options, now: new Date((nbf - 150) * 1000) });
    assert.equal(checksOf(inspection).expiry, "✗ Not valid yet: nbf is 2m from now (is this computer's clock right?).");
    assert.equal(inspection.notBefore?.getTime(), nbf * 1000);
    assert.match(formatTokenInspection(inspection, { timeZone: 'UTC' }), /\n- Not before: [\d-]+ [\d:]+ UTC\n/);
  });

  it('fails the issuer of a token from the dev server, naming it, and its signature', async () => {
    const dev = await mintToken({ iss: DEV_ISSUER, aud: AUDIENCE });
    const inspection = await inspectToken(dev.token, { issuer: sandbox.issuer, audience: AUDIENCE }, options);
    const checks = checksOf(inspection);
    assert.equal(
      checks.issuer,
      `✗ iss is "${DEV_ISSUER}" (the Fortellis-internal dev server), expected "${sandbox.issuer}": the gateway answers TOKEN-ISSUER-MISMATCH.`,
    );
    assert.match(checks.signature, /^✗ .* publishes no key "throwaway-key"/);
  });

  it('reports keys it cannot fetch as a failed signature check, and still runs the others', async () => {
    jwksServer = await startServer(() => undefined);
    const issuer = `${jwksServer.origin}/oauth2/other`;
    await jwksServer.close();
    jwksServer = undefined;
    const minted = await mintToken({ iss: issuer, aud: AUDIENCE });
    const inspection = await inspectToken(minted.token, { issuer, audience: AUDIENCE }, options);
    const host = new URL(issuer).host;
    assertChecks(inspection, {
      signature: `✗ Not checked: the signing keys of ${issuer} could not be fetched. Could not reach ${host}: the connection was refused (ECONNREFUSED). Check the URL and your network.`,
      issuer: `✓ iss is "${issuer}".`,
      audience: '✓ aud is "api_providers".',
      expiry: FRESH,
    });
  });

  it('explains a keys endpoint that answers something else, and refuses one over plain http', async () => {
    const issuer = await serveKeys([]);
    const minted = await mintToken({ iss: `${jwksServer?.origin}/oauth2/missing`, aud: AUDIENCE });
    const missing = await inspectToken(minted.token, { issuer: `${jwksServer?.origin}/oauth2/missing`, audience: AUDIENCE }, options);
    assert.match(
      checksOf(missing).signature,
      /^✗ Not checked: .* answered HTTP 404 Not Found for the signing keys at http:\/\/127\.0\.0\.1:\d+\/oauth2\/missing\/v1\/keys\.$/,
    );
    const empty = await inspectToken(minted.token, { issuer, audience: AUDIENCE }, options);
    assert.match(checksOf(empty).signature, /^✗ .* publishes no key "throwaway-key"/);
    const insecure = await inspectToken(minted.token, { issuer: 'http://identity.example.com/oauth2/x', audience: AUDIENCE }, options);
    assert.match(checksOf(insecure).signature, /^✗ Not checked: .*Refusing to fetch signing keys over plain http to identity\.example\.com: use https/);
  });

  it('says what is wrong with text that is not a JWT', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        '00Dxx0000001gPL!AQ4AQFhd8mYkzQ',
        /^This is not a JWT: it has 1 part separated by dots, not 3\. Fortellis access tokens are JWTs .*; an opaque token cannot be inspected\.$/,
      ],
      ['Bearer abc.def', /it has 2 parts separated by dots, not 3/],
      ['a.b.c.d.e', /it has 5 parts, so it is encrypted \(JWE\)/],
      ['!!!.???.sig', /its first part is not a base64url-encoded JSON header/],
      [`${Buffer.from('{"alg":"RS256"}').toString('base64url')}.bm90LWpzb24.sig`, /its second part is not a base64url-encoded JSON object of claims/],
      ['  \n ', /there is nothing to inspect/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(inspectToken(input, { issuer: sandbox.issuer, audience: AUDIENCE }, options), (error: unknown) => {
        assert.ok(error instanceof NotAJwtError, String(error));
        assert.match(error.message, message);
        assert.ok(input.trim() === '' || !error.message.includes(input.trim()), 'the input is not echoed');
        return true;
      });
    }
  });
});
