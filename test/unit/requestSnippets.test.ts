import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ENVIRONMENT_VARIABLES } from '../../src/core/apiRequests/fortellisHeaders';
import { renderRequestSnippet, SNIPPET_LANGUAGES, snippetLanguageFor } from '../../src/core/snippets/renderSnippet';
import type { RequestSnippetSpec } from '../../src/core/snippets/snippetRequest';

// The snippets' text. Running each with its language's runtime is the snippets layer: test/snippetRuns/requestSnippetRuns.test.ts.

describe('request snippets: the text', () => {
  const expiresAt = new Date('2031-02-03T04:05:06.000Z');
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXh0LW9ubHkifQ.c2lnbmF0dXJl';
  const spec = (literal: boolean): RequestSnippetSpec => ({
    method: 'POST',
    url: 'https://api.fortellis.io/cdk-test/things',
    subscriptionId: 'test',
    requestId: randomUUID(),
    body: '{}',
    token: literal ? { from: 'literal', value: token, expiresAt } : { from: 'environment' },
  });

  for (const { id } of SNIPPET_LANGUAGES) {
    it(`${id}: reads ${ENVIRONMENT_VARIABLES.token} by default; writes the token with its expiry only when asked`, () => {
      const fromEnvironment = renderRequestSnippet(id, spec(false));
      assert.ok(!fromEnvironment.includes(token));
      assert.ok(fromEnvironment.includes(ENVIRONMENT_VARIABLES.token));
      const literal = renderRequestSnippet(id, spec(true));
      assert.ok(literal.includes(token));
      assert.ok(literal.includes(`expires at ${expiresAt.toISOString()}: do not commit it`));
      assert.ok(literal.endsWith('\n'));
    });
  }

  it('maps VS Code language ids to snippet languages', () => {
    assert.equal(snippetLanguageFor('shellscript'), 'curl');
    assert.equal(snippetLanguageFor('typescriptreact'), 'typescript');
    assert.equal(snippetLanguageFor('javascriptreact'), 'javascript');
    assert.equal(snippetLanguageFor('http'), 'http');
    assert.equal(snippetLanguageFor('markdown'), undefined);
  });

  it('refuses what cannot be a Fortellis request', () => {
    assert.throws(() => renderRequestSnippet('curl', { ...spec(false), method: 'TRACE' }), /Unsupported HTTP method "TRACE"/);
    assert.throws(() => renderRequestSnippet('curl', { ...spec(false), method: 'GET' }), /A GET request has no body/);
    assert.throws(() => renderRequestSnippet('curl', { ...spec(false), url: 'ftp://example.com/x' }), /Not an http\(s\) URL/);
    assert.throws(() => renderRequestSnippet('curl', { ...spec(false), subscriptionId: 'a\r\nX-Injected: 1' }), /Subscription-Id header must be one line/);
  });

  it('.http: escapes {{…}} for httpyac, and says so', () => {
    const text = renderRequestSnippet('http', { ...spec(false), body: '{"a": "{{name}}"}' });
    assert.ok(text.includes('{"a": "\\{\\{name\\}\\}"}'));
    assert.match(text, /Double braces below are escaped with backslashes/);
  });
});
