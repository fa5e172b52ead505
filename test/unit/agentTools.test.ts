import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sendApiRequest } from '../../src/core/apiRequests/apiCall';
import { GATEWAY_ERROR_CODES, GATEWAY_ERROR_HINTS } from '../../src/core/apiRequests/gatewayErrors';
import fc from 'fast-check';
import { BODY_PREVIEW_CHARS, bodyPreview, callApiConfirmation, callApiQuestion, declinedResult } from '../../src/core/agentTools/agentConfirmation';
import { redactToolResult, withoutCredentialHeaders } from '../../src/core/agentTools/agentResultRedaction';
import { checkCallApiInput, checkDecodeTokenInput, checkExplainErrorInput } from '../../src/core/agentTools/agentToolInputs';
import { AGENT_TOOL_NAMES, AGENT_TOOLS_ENABLED_SETTING } from '../../src/core/agentTools/agentToolNames';
import { USER_ACTION } from '../../src/core/agentTools/agentUserActions';
import { NO_SUBSCRIPTIONS_URL } from '../../src/core/apiRequests/subscriptionsWording';
import { trustedApiBase, underTrustedBase } from '../../src/core/apiRequests/tokenDestinations';
import { resolveEnvironment } from '../../src/core/profiles/profiles';
import {
  AGENT_BODY_CAP_BYTES,
  callApiResult,
  capUtf8,
  decodeTokenResult,
  explainErrorResult,
  subscriptionsResult,
  tokenStatusResult,
} from '../../src/core/agentTools/agentToolResults';
import { cancellableFetch } from '../../src/core/agentTools/cancellableFetch';
import { HttpRequestError } from '../../src/core/http/limitedFetch';
import type { Environment } from '../../src/core/profiles/environments';
import type { Profile } from '../../src/core/profiles/profiles';
import { Redactor } from '../../src/core/text/redaction';
import { inspectToken } from '../../src/core/tokens/tokenChecks';
import { type Sandbox, startSandbox } from '../sandbox/sandboxServer';
import { sandboxAppToken } from './helpers/sandboxTokens';
import { fuzzRuns } from './helpers/fuzzSettings';

const BASE = 'https://api.fortellis.io';
const SANDBOX_BASE = 'http://127.0.0.1:4500/api';
const profile: Profile = { name: 'sandbox', environment: 'sandbox', apiKey: 'demo-key', subscriptionId: 'test' };

/** `base` null: a profile that trusts no API base (trustedApiBase undefined). */
function plan(raw: unknown, base: string | null = BASE) {
  const checked = checkCallApiInput(raw, base ?? undefined);
  assert.ok(checked.ok, checked.ok ? '' : checked.problem);
  return checked.value;
}

function problem(raw: unknown, base: string | null = BASE): string {
  const checked = checkCallApiInput(raw, base ?? undefined);
  assert.ok(!checked.ok, 'refused');
  return checked.problem;
}

describe('agent tools: inputs', () => {
  it('call_api: a path is joined to the API base, a full URL kept; the method upper-cased; a JSON body serialized', () => {
    assert.deepEqual(plan({ method: 'get', url: '/cdk-test/sales/v1/vehicles?limit=2' }, `${SANDBOX_BASE}/`), {
      method: 'GET',
      url: `${SANDBOX_BASE}/cdk-test/sales/v1/vehicles?limit=2`,
    });
    assert.equal(plan({ method: 'GET', url: 'cdk-test/x' }).url, `${BASE}/cdk-test/x`);
    assert.equal(plan({ method: 'GET', url: 'https://other.example.com/v1?q=1' }).url, 'https://other.example.com/v1?q=1');
    assert.deepEqual(plan({ method: 'POST', url: '/o', body: { vin: 'ü"' }, subscriptionId: ' dealer-1 ' }), {
      method: 'POST',
      url: `${BASE}/o`,
      body: '{"vin":"ü\\""}',
      subscriptionId: 'dealer-1',
    });
    assert.equal(plan({ method: 'PUT', url: '/o', body: 'raw text' }).body, 'raw text');
  });

  it('call_api: refuses what must not be sent, saying why', () => {
    assert.match(problem(undefined), /must be an object/);
    assert.match(problem({ method: 'TRACE', url: '/x' }), /"method" must be one of GET, POST, PUT, PATCH, DELETE/);
    assert.match(problem({ method: 'GET' }), /"url" must be a full URL or a path relative to the API base https:\/\/api\.fortellis\.io/);
    assert.match(problem({ method: 'GET', url: 'http://api.example.com/x' }), /Refusing to send the token over plain http to api\.example\.com/);
    assert.match(problem({ method: 'GET', url: 'ftp://example.com/x' }), /must start with https:\/\//);
    assert.match(problem({ method: 'GET', url: '/x', body: { a: 1 } }), /A GET request cannot carry a body/);
    assert.match(problem({ method: 'GET', url: '/x', subscriptionId: 'a\nb' }), /printable ASCII/);
  });

  it('underTrustedBase (the one rule Call API and the tools share): same origin and the base path as a prefix, nothing else', () => {
    assert.equal(underTrustedBase(`${SANDBOX_BASE}/cdk-test/x`, SANDBOX_BASE), true);
    assert.equal(underTrustedBase(SANDBOX_BASE, `${SANDBOX_BASE}/`), true);
    assert.equal(underTrustedBase('http://127.0.0.1:4500/apiary/x', SANDBOX_BASE), false);
    assert.equal(underTrustedBase('http://127.0.0.1:4501/api/x', SANDBOX_BASE), false);
    assert.equal(underTrustedBase('https://api.fortellis.io.evil.example/x', BASE), false);
    assert.equal(underTrustedBase('https://api.fortellis.io/anything', BASE), true);
    assert.equal(underTrustedBase('https://api.fortellis.io/anything', undefined), false);
  });

  it('underTrustedBase: under a base with a path, an encoded dot, slash or backslash, or a "..;" segment, is not trusted (a gateway that decodes them leaves the base; found by review)', () => {
    const base = 'https://gw.example/sandbox-test';
    for (const url of [`${base}/..%2fx`, `${base}/..%2Fx`, `${base}/%2E%2E%2Fx`, `${base}/%2e%2e/x`, `${base}/..;/x`, `${base}/a%5c..%5cx`]) {
      assert.equal(underTrustedBase(url, base), false, url);
    }
    // An encoded character that cannot climb is still under the base; a base without a path has nothing to leave.
    assert.equal(underTrustedBase(`${base}/vehicles/V%201`, base), true);
    assert.equal(underTrustedBase('https://gw.example/..%2fx', 'https://gw.example'), true);
  });

  it('call_api on a Custom profile without "apiBaseUrl": no host is trusted, a path is refused saying what to set, a full URL is kept', () => {
    const custom: Profile = { name: 'dev', environment: 'custom', apiKey: 'k', issuer: 'https://identity-dev.fortellis.io/oauth2/aus1' };
    const base = trustedApiBase(custom, resolveEnvironment(custom, { issuer: '', apiBaseUrl: '', subscriptionsUrl: '' }));
    assert.equal(base, undefined);
    for (const url of ['/cdk-test/sales/v1/vehicles', 'cdk-test/x']) {
      const refused = problem({ method: 'GET', url }, base ?? null);
      assert.match(refused, /no API base/);
      assert.match(refused, /set "apiBaseUrl" in the Custom profile \(setting "fortellis\.profiles"\)/);
      assert.ok(!refused.includes('api.fortellis.io'), refused);
    }
    assert.match(problem({ method: 'GET' }, null), /"url" must be a full URL\. This profile has no API base/);
    assert.equal(plan({ method: 'GET', url: 'https://api.fortellis.io/cdk-test/x' }, null).url, 'https://api.fortellis.io/cdk-test/x');
  });

  it('explain_error and decode_token inputs', () => {
    assert.deepEqual(checkExplainErrorInput({ error: ' TOKEN-EXPIRED ' }), { ok: true, value: 'TOKEN-EXPIRED' });
    assert.deepEqual(checkExplainErrorInput({ error: { code: 'X' } }), { ok: true, value: '{"code":"X"}' });
    assert.equal(checkExplainErrorInput({}).ok, false);
    assert.deepEqual(checkDecodeTokenInput({ token: 'Bearer a.b\n.c ' }), { ok: true, value: 'a.b.c' });
    assert.equal(checkDecodeTokenInput({ token: 3 }).ok, false);
  });
});

describe('agent tools: confirmation', () => {
  it('a GET under the API base runs without asking', () => {
    const prepared = callApiConfirmation(plan({ method: 'GET', url: '/cdk-test/v' }), BASE, 'prod', 'test', {});
    assert.equal(prepared.confirmation, undefined);
    assert.equal(prepared.invocationMessage, 'Fortellis: GET api.fortellis.io/cdk-test/v with the token of profile "prod"');
  });

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    it(`a ${method} asks first, naming the method, the host and the profile`, () => {
      const prepared = callApiConfirmation(
        plan({ method, url: '/cdk-test/v/1', ...(method !== 'DELETE' && { body: { a: 1 } }) }),
        BASE,
        'prod',
        'dealer-9',
        {},
      );
      assert.equal(prepared.confirmation?.title, `Fortellis: ${method} to api.fortellis.io as "prod"?`);
      const message = prepared.confirmation?.message ?? '';
      assert.match(message, new RegExp(`^Send ${method} https://api\\.fortellis\\.io/cdk-test/v/1$`, 'm'));
      assert.match(message, /^Host: api\.fortellis\.io$/m);
      assert.match(message, /^Profile: prod /m);
      assert.match(message, /^Subscription-Id: dealer-9$/m);
    });
  }

  it('any method to a host outside the API base asks first, and says the token would leave the environment', () => {
    const prepared = callApiConfirmation(plan({ method: 'GET', url: 'https://collector.example.net/x', subscriptionId: 's-1' }), BASE, 'prod', 'test', {});
    assert.equal(prepared.confirmation?.title, 'Fortellis: GET to collector.example.net as "prod"?');
    assert.match(
      prepared.confirmation?.message ?? '',
      /collector\.example\.net is outside the profile's API base \(https:\/\/api\.fortellis\.io\): the token would leave/,
    );
    assert.match(prepared.confirmation?.message ?? '', /^Subscription-Id: s-1$/m);
  });
  it('a write shows its body, redacted and cut short, with its size', () => {
    const token = 'opaque-token-0123456789';
    const body = JSON.stringify({ note: `Bearer ${token}`, echo: token, pad: 'x'.repeat(2000) });
    const prepared = callApiConfirmation(plan({ method: 'POST', url: '/cdk-test/o', body }), BASE, 'prod', 'test', { values: [token] });
    const message = prepared.confirmation?.message ?? '';
    assert.match(
      message,
      new RegExp(`^Body \\(${Buffer.byteLength(body)} bytes, the first ${BODY_PREVIEW_CHARS} characters shown\\): \\{"note":"Bearer \\[redacted\\]"`, 'm'),
    );
    assert.ok(!message.includes(token), message);
    assert.ok(message.length < BODY_PREVIEW_CHARS + 600, `cut short: ${message.length} characters`);
    assert.match(
      callApiConfirmation(plan({ method: 'PUT', url: '/o', body: '{"a":1}' }), BASE, 'prod', 'test', {}).confirmation?.message ?? '',
      /^Body \(7 bytes\): \{"a":1\}$/m,
    );
  });

  it('a URL outside a profile that has no API base: VS Code is told no host is trusted', () => {
    const prepared = callApiConfirmation(plan({ method: 'GET', url: 'https://api.fortellis.io/cdk-test/x' }, null), undefined, 'dev', undefined, {});
    assert.match(prepared.confirmation?.message ?? '', /api\.fortellis\.io is not trusted: this profile has no API base configured/);
  });
});

describe("agent tools: the extension's own question in invoke()", () => {
  const context = { trustedBase: BASE, profileName: 'prod', defaultSubscriptionId: 'test', restricted: false, secrets: {} };
  const none = new Set<string>();

  it('a URL outside the trusted API base is asked, naming the host, with a button that sends to it; the host is then remembered', () => {
    const question = callApiQuestion(plan({ method: 'GET', url: 'http://127.0.0.3:9999/collect' }), context, none);
    assert.equal(question?.host, '127.0.0.3:9999');
    assert.equal(question?.button, 'Send to 127.0.0.3:9999');
    assert.match(
      question?.message ?? '',
      /^Send the token of "prod" to 127\.0\.0\.3:9999\? .*not under this environment's API base \(https:\/\/api\.fortellis\.io\)/,
    );
    assert.match(question?.detail ?? '', /^An AI agent asks for this through the tool fortellis_call_api\.$/m);
    assert.match(question?.detail ?? '', /^Send GET http:\/\/127\.0\.0\.3:9999\/collect$/m);
  });

  it('every method, and a look-alike host, is asked; a GET or POST under the base, or to a host allowed this session, is not', () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      assert.equal(callApiQuestion(plan({ method, url: 'https://api.fortellis.io.evil.example/x' }), context, none)?.host, 'api.fortellis.io.evil.example');
      assert.equal(callApiQuestion(plan({ method, url: '/cdk-test/x' }), context, none), undefined);
    }
    assert.equal(callApiQuestion(plan({ method: 'GET', url: 'https://evil.example/x' }), context, new Set(['evil.example'])), undefined);
  });

  it('a Custom profile without an API base: even Fortellis production is asked', () => {
    const question = callApiQuestion(plan({ method: 'GET', url: 'https://api.fortellis.io/cdk-test/x' }, null), { ...context, trustedBase: undefined }, none);
    assert.equal(question?.host, 'api.fortellis.io');
    assert.match(question?.message ?? '', /an API base of this profile \(it has none configured\)/);
  });

  it('Restricted Mode: every request is asked, under the base and to an allowed host too, and the dialog says why', () => {
    const restricted = { ...context, restricted: true };
    const inside = callApiQuestion(plan({ method: 'GET', url: '/cdk-test/x' }), restricted, none);
    assert.equal(inside?.host, undefined, 'nothing is remembered');
    assert.equal(inside?.button, 'Send');
    assert.equal(inside?.message, 'Send GET api.fortellis.io/cdk-test/x with the token of "prod"?');
    assert.match(inside?.detail ?? '', /Restricted Mode: Fortellis asks before every request an agent makes here/);
    assert.ok(callApiQuestion(plan({ method: 'GET', url: 'https://evil.example/x' }), restricted, new Set(['evil.example'])));
  });

  it("the question shows a write's body redacted and cut; the declined result says nothing was sent", () => {
    const token = 'opaque-token-abcdefghij';
    const post = plan({ method: 'POST', url: 'https://evil.example/x', body: { token, more: 'y'.repeat(5000) } });
    const question = callApiQuestion(post, { ...context, secrets: { values: [token] } }, none);
    assert.ok(!question?.detail?.includes(token), question?.detail);
    assert.match(question?.detail ?? '', /^Body \(\d+ bytes, the first 500 characters shown\): \{"token":"\[redacted\]"/m);
    assert.equal(
      declinedResult(post),
      "Nothing was sent: the user declined POST https://evil.example/x in Fortellis' confirmation dialog, so the token did not leave VS Code. Do not retry this request unless the user asks for it.",
    );
  });

  it('property: a body preview never holds the credential, whatever surrounds it, and never exceeds its bound', () => {
    const credential = 'opaque-credential-7f3a9c';
    fc.assert(
      fc.property(fc.string({ maxLength: 1200 }), fc.string({ maxLength: 1200 }), (prefix, suffix) => {
        const preview = bodyPreview(`${prefix}${credential}${suffix}`, { values: [credential] });
        return !preview.includes(credential) && preview.length <= BODY_PREVIEW_CHARS + 80;
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});

describe('agent tools: list_subscriptions without a subscriptions URL', () => {
  it('says what the Subscription-Id picker says: what to set, and that nothing was sent', () => {
    const text = USER_ACTION.noSubscriptionsUrl('dev');
    assert.ok(text.startsWith(`${NO_SUBSCRIPTIONS_URL.title} ("dev"), so nothing was sent. ${NO_SUBSCRIPTIONS_URL.action}`), text);
    assert.match(text, /Set "subscriptionsUrl" in the profile/);
  });
});

describe('agent tools: the shared result redactor', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const secret = 'the-api-secret-123';

  it("removes a call's tokens raw and base64-encoded, the known secrets, Authorization headers, bearer values and JWT-shaped strings", () => {
    const known = new Redactor();
    known.add(secret);
    const [text] = redactToolResult(
      [
        [
          `echo: ${token}`,
          `b64: ${Buffer.from(token).toString('base64')}`,
          'opaque: opaque-token-abcdef',
          'Authorization: Bearer opaque-token-abcdef',
          '  proxy-authorization: Basic Zm9vOmJhcg==',
          `{"authorization": "Bearer x", "access_token": "y", "refreshToken": "z", "code": "TOKEN-EXPIRED"}`,
          `secret in a URL: https://x.example/?client_secret=${secret}&a=1`,
          'another JWT: eyJ0eXAiOiJKV1QifQ.eyJleHAiOjF9.sig_nature',
        ].join('\n'),
      ],
      { known, values: [token, 'opaque-token-abcdef', undefined, 'short'] },
    );
    for (const leaked of [token, Buffer.from(token).toString('base64'), 'opaque-token-abcdef', secret, 'Zm9vOmJhcg==', '"y"', '"z"', 'eyJ0eXAiOiJKV1QifQ']) {
      assert.ok(!text.includes(leaked), `${leaked} is gone:\n${text}`);
    }
    assert.match(text, /^Authorization: \[redacted\]$/m);
    assert.match(text, /"code": "TOKEN-EXPIRED"/, 'a gateway code survives, unlike in the log');
  });

  it('keeps every part, in order', () => {
    assert.deepEqual(redactToolResult(['a', 'b'], {}), ['a', 'b']);
  });

  it('response headers lose Authorization and Proxy-Authorization', () => {
    assert.deepEqual(
      withoutCredentialHeaders([
        ['Authorization', 'x'],
        ['content-type', 'json'],
        ['proxy-authorization', 'y'],
      ]),
      [['content-type', 'json']],
    );
  });
});

describe('agent tools: results', () => {
  const response = (bodyText: string, extra: Partial<Parameters<typeof callApiResult>[0]['response']> = {}) => ({
    status: 200,
    statusText: 'OK',
    elapsedMs: 12,
    headers: [
      ['content-type', 'application/json'],
      ['authorization', 'Bearer leaked'],
    ] as Array<[string, string]>,
    bodyText,
    truncated: false,
    requestId: 'req-1',
    ...extra,
  });

  it('capUtf8 never cuts a character in two', () => {
    assert.deepEqual(capUtf8('aé', 2), { text: 'a', bytes: 3, capped: true });
    assert.deepEqual(capUtf8('aé', 3), { text: 'aé', bytes: 3, capped: false });
    assert.equal(capUtf8('€€', 5).text, '€');
  });

  it('call_api: status, timing, Request-Id, headers without Authorization, pretty JSON, the cap stated', () => {
    const text = callApiResult({ plan: plan({ method: 'GET', url: '/v' }), profile, subscriptionId: 'test', response: response('{"a":1}') });
    assert.equal(
      text,
      [
        'GET https://api.fortellis.io/v → HTTP 200 OK in 12 ms',
        'Profile: sandbox; Subscription-Id: test; Request-Id: req-1',
        '',
        'Response headers:',
        'content-type: application/json',
        '',
        `Body (7 bytes received, complete; results are capped at ${AGENT_BODY_CAP_BYTES} bytes):`,
        '{\n  "a": 1\n}',
      ].join('\n'),
    );
  });

  it('call_api: a body over the cap is cut, and the result says so; a retry and a gateway error are explained', () => {
    const big = 'x'.repeat(AGENT_BODY_CAP_BYTES + 10);
    const text = callApiResult({
      plan: plan({ method: 'GET', url: '/v' }),
      profile,
      subscriptionId: '',
      response: response(big, {
        status: 403,
        statusText: 'Forbidden',
        gatewayError: { code: 'SUBSCRIPTION-MISMATCH', hint: GATEWAY_ERROR_HINTS['SUBSCRIPTION-MISMATCH'] },
      }),
      retried: { status: 401, code: 'TOKEN-EXPIRED', requestId: 'req-0' },
    });
    assert.match(
      text,
      new RegExp(`^Body \\(${AGENT_BODY_CAP_BYTES + 10} bytes received; capped: only the first ${AGENT_BODY_CAP_BYTES} bytes are shown here\\):$`, 'm'),
    );
    assert.equal(text.split('\n').pop(), 'x'.repeat(AGENT_BODY_CAP_BYTES));
    assert.match(text, /Subscription-Id: \(none sent\)/);
    assert.match(text, /first refused the token \(HTTP 401 TOKEN-EXPIRED, Request-Id req-0\): the token was renewed/);
    assert.ok(text.includes(`Fortellis gateway error SUBSCRIPTION-MISMATCH: ${GATEWAY_ERROR_HINTS['SUBSCRIPTION-MISMATCH']}`));
  });

  it('token_status: subject, scopes and expiry of a token, never the token', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'demo-key', scp: ['anonymous'] })).toString('base64url');
    const accessToken = `eyJhbGciOiJSUzI1NiJ9.${payload}.signature`;
    const environment: Environment = {
      kind: 'sandbox',
      issuer: 'http://127.0.0.1:4500/oauth2/sandbox',
      apiBaseUrl: SANDBOX_BASE,
      subscriptionsUrl: 'http://x',
    };
    const now = Date.UTC(2026, 0, 1);
    const text = tokenStatusResult({
      profile,
      environment,
      appToken: { accessToken, tokenType: 'Bearer', scope: undefined, receivedAt: now, expiresAt: now + 3_540_000 },
      userToken: undefined,
      profileCount: 2,
      now,
    });
    assert.ok(!text.includes(accessToken) && !text.includes('signature'));
    assert.match(text, /^Active profile: sandbox \(2 profiles in all\)$/m);
    assert.match(text, /^Environment: Local sandbox; issuer http:\/\/127\.0\.0\.1:4500\/oauth2\/sandbox; API base http:\/\/127\.0\.0\.1:4500\/api$/m);
    assert.match(text, /^App token \(client credentials\):\n- subject: demo-key\n- scopes: anonymous\n- expires: 2026-01-01T00:59:00\.000Z \(in 59m\)$/m);
    assert.match(text, /^User token \(browser sign-in\): none/m);
  });

  it('list_subscriptions: each subscription with its status, the default marked', () => {
    const text = subscriptionsResult(
      [
        { subscriptionId: 'test', status: 'active', orgName: 'Sample' },
        { subscriptionId: 'd-2', status: 'inactive' },
      ],
      'http://s',
      profile,
    );
    assert.match(text, /^- test: status active, org "Sample", the profile's default$/m);
    assert.match(text, /^- d-2: status inactive$/m);
    assert.match(subscriptionsResult([], 'http://s', profile), /lists no subscriptions/);
  });

  it('explain_error: a code in any case, a whole body with its message and Request-Id, or the list of codes', () => {
    assert.equal(explainErrorResult('quota-exceeded'), `QUOTA-EXCEEDED: ${GATEWAY_ERROR_HINTS['QUOTA-EXCEEDED']}`);
    const body = JSON.stringify({ code: 'TOKEN-ISSUER-MISMATCH', message: 'The token was issued by X', requestId: 'r-9' });
    assert.equal(
      explainErrorResult(body),
      `TOKEN-ISSUER-MISMATCH: ${GATEWAY_ERROR_HINTS['TOKEN-ISSUER-MISMATCH']}\nThe body's message: The token was issued by X\nRequest-Id: r-9 (quote it when reporting the error to the API provider).`,
    );
    const unknown = explainErrorResult('HTTP 500 something odd');
    assert.match(unknown, /^No Fortellis gateway error code was found/);
    assert.equal(GATEWAY_ERROR_CODES.filter((code) => unknown.includes(`- ${code}: `)).length, GATEWAY_ERROR_CODES.length);
  });

  describe('against the sandbox', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox();
    });
    after(() => sandbox.close());

    it('decode_token: the four checks and the claims, without the token or its signature', async () => {
      const token = await sandboxAppToken(sandbox);
      const text = decodeTokenResult(
        await inspectToken(token, { issuer: sandbox.issuer, audience: 'api_providers' }, { timeoutMs: 2000 }),
        sandbox.issuer,
        "the test's",
      );
      assert.equal(text.split('\n').filter((line) => /^- PASS (signature|issuer|audience|expiry): /.test(line)).length, 4, text);
      assert.ok(!text.includes(token) && !text.includes(token.split('.')[2]));
      assert.match(text, /"aud": "api_providers"/);
    });

    it('cancellableFetch: an abort ends a request the server never answers, and closes its connection', async () => {
      let closed = false;
      const silent = createServer((req) => req.socket.on('close', () => (closed = true)));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const controller = new AbortController();
        const started = Date.now();
        const call = sendApiRequest(
          { method: 'GET', url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/x`, token: 't', subscriptionId: '', requestId: 'r' },
          { timeoutMs: 5000, fetch: cancellableFetch(controller.signal) },
        );
        setTimeout(() => controller.abort(), 200);
        await assert.rejects(call, HttpRequestError);
        assert.ok(Date.now() - started < 2000, 'ended by the abort, not the 5 s timeout');
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(closed, true);
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    });
  });
});

describe('agent tools: package.json', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { languageModelTools: Array<Record<string, unknown>>; configuration: { properties: Record<string, Record<string, unknown>> } };
  };

  it('declares exactly the tools the code registers, each with a model description, an input schema, a reference name, and the setting as its when clause', () => {
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((tool) => tool.name).sort(), [...AGENT_TOOL_NAMES].sort());
    for (const tool of tools) {
      assert.ok(typeof tool.modelDescription === 'string' && tool.modelDescription.length > 100, `${String(tool.name)}: modelDescription`);
      assert.equal((tool.inputSchema as { type: string }).type, 'object');
      assert.match(String(tool.toolReferenceName), /^[A-Za-z]+$/);
      assert.equal(tool.canBeReferencedInPrompt, true);
      assert.equal(tool.when, `config.fortellis.${AGENT_TOOLS_ENABLED_SETTING}`);
    }
  });

  it('"fortellis.agentTools.enabled" is an application-scoped boolean, on by default', () => {
    const setting = manifest.contributes.configuration.properties[`fortellis.${AGENT_TOOLS_ENABLED_SETTING}`];
    assert.deepEqual([setting.type, setting.default, setting.scope], ['boolean', true, 'application']);
  });
});
