import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ApiRequest, ApiResponse, RenewedCall } from '../../src/core/apiRequests/apiCall';
import { draftOf, historyEntry, MAX_HISTORY, MAX_KEPT_BODY_CHARS, parseHistory, withEntry } from '../../src/core/apiRequests/requestHistory';
import { Redactor } from '../../src/core/text/redaction';
import { fuzzRuns } from './helpers/fuzzSettings';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw';

function call(request: Partial<ApiRequest> = {}, response: Partial<ApiResponse> = {}): RenewedCall {
  return {
    request: {
      method: 'POST',
      url: 'https://api.fortellis.io/sales/v1/orders',
      token: TOKEN,
      subscriptionId: 'test',
      requestId: 'sent-1',
      body: '{"vin":"1"}',
      ...request,
    },
    response: {
      status: 201,
      statusText: 'Created',
      elapsedMs: 42,
      requestId: 'answered-1',
      headers: [],
      bodyText: '{}',
      truncated: false,
      ...response,
    } as ApiResponse,
  };
}

describe('request history: what was sent and what came back, never the token', () => {
  const redactor = new Redactor();
  redactor.add(TOKEN);
  const redact = (text: string) => redactor.redact(text);

  it('keeps the request and the answer, without the token', () => {
    const entry = historyEntry('Call API', 'sandbox', call({ extraHeaders: [['If-Match', 'v7']] }), 1_000, redact);
    assert.deepEqual(entry, {
      at: 1_000,
      profile: 'sandbox',
      label: 'Call API',
      method: 'POST',
      url: 'https://api.fortellis.io/sales/v1/orders',
      subscriptionId: 'test',
      extraHeaders: [['If-Match', 'v7']],
      body: '{"vin":"1"}',
      status: 201,
      elapsedMs: 42,
      requestId: 'answered-1',
    });
    assert.ok(!JSON.stringify(entry).includes(TOKEN));
  });

  it('re-runs the same request: method, URL, headers and body, for a fresh token and a new Request-Id', () => {
    const entry = historyEntry('Call API', 'sandbox', call({ accept: 'text/csv', contentType: 'application/xml', extraHeaders: [['X-A', 'b']] }), 1, redact);
    assert.deepEqual(draftOf(entry), {
      method: 'POST',
      url: 'https://api.fortellis.io/sales/v1/orders',
      body: '{"vin":"1"}',
      contentType: 'application/xml',
      accept: 'text/csv',
      extraHeaders: [['X-A', 'b']],
    });
  });

  it('leaves out a body too long to keep, and says so', () => {
    const entry = historyEntry('Call API', 'p', call({ body: 'x'.repeat(MAX_KEPT_BODY_CHARS + 1) }), 1, redact);
    assert.equal(entry.body, undefined);
    assert.equal(entry.bodyLeftOut, true);
  });

  it('keeps the newest first, at most 100; a stored history that is not well formed is left out', () => {
    let history = parseHistory(undefined);
    for (let index = 0; index < MAX_HISTORY + 5; index++) {
      history = withEntry(history, historyEntry('Call API', 'p', call({ url: `https://api.fortellis.io/${index}` }), index, redact));
    }
    assert.equal(history.length, MAX_HISTORY);
    assert.equal(history[0].url, `https://api.fortellis.io/${MAX_HISTORY + 4}`);
    assert.deepEqual(parseHistory(JSON.parse(JSON.stringify(history))), history);
    assert.deepEqual(parseHistory([{ at: 'yesterday' }, null, 'x', { ...history[0], extraHeaders: [['only-a-name']] }]), []);
  });

  it('never keeps the token, wherever it was typed (URL, header, body) and however the text around it reads', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom('url', 'header', 'body'), (before, after, where) => {
        const typed = `${before}${TOKEN}${after}`;
        const sent = call(
          where === 'url'
            ? { url: `https://api.fortellis.io/x?q=${encodeURIComponent(typed)}` }
            : where === 'header'
              ? { extraHeaders: [['X-Note', typed]] }
              : { body: typed },
        );
        const stored = JSON.stringify(historyEntry('Call API', 'p', sent, 1, redact));
        assert.ok(!stored.includes(TOKEN), stored);
        assert.ok(!stored.includes(encodeURIComponent(TOKEN)), stored);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
