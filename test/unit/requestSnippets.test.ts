import assert from 'node:assert/strict';
import { ENVIRONMENT_VARIABLES } from '../../src/core/tokenExport/environmentVariables';
import { renderRequestSnippet, SNIPPET_LANGUAGES, type SnippetLanguageId, snippetLanguageFor } from '../../src/core/snippets/renderSnippet';
import type { RequestSnippetSpec } from '../../src/core/snippets/snippetRequest';

// The snippets' text. Running each with its language's runtime is the snippets layer: test/snippetRuns/requestSnippetRuns.test.ts.

/** How each language writes the Request-Id header: with its standard library's new UUID, made each time the snippet runs. */
const NEW_REQUEST_ID: Readonly<Record<SnippetLanguageId, RegExp>> = {
  curl: /^ {2}--header "Request-Id: \$\(cat \/proc\/sys\/kernel\/random\/uuid 2>\/dev\/null \|\| uuidgen\)" \\$/m,
  powershell: /^ {2}'Request-Id' +\= \[guid\]::NewGuid\(\)\.ToString\(\)$/m,
  python: /^ {8}"Request-Id": str\(uuid\.uuid4\(\)\),$/m,
  javascript: /^ {4}'Request-Id': randomUUID\(\),$/m,
  typescript: /^ {4}'Request-Id': randomUUID\(\),$/m,
  csharp: /^ {8}request\.Headers\.TryAddWithoutValidation\("Request-Id", Guid\.NewGuid\(\)\.ToString\(\)\);$/m,
  java: /^ {16}\.header\("Request-Id", UUID\.randomUUID\(\)\.toString\(\)\)$/m,
  go: /^\trequest\.Header\.Set\("Request-Id", newRequestID\(\)\)$/m,
  http: /^Request-Id: \{\{\$guid\}\}$/m,
};

const ANY_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('request snippets: the text', () => {
  const expiresAt = new Date('2031-02-03T04:05:06.000Z');
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXh0LW9ubHkifQ.c2lnbmF0dXJl';
  const spec = (literal: boolean): RequestSnippetSpec => ({
    method: 'POST',
    url: 'https://api.fortellis.io/cdk-test/things',
    subscriptionId: 'test',
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

  // A terminal opened before the last renewal still has the old FORTELLIS_TOKEN; the file it names is kept fresh.
  // That the file wins over FORTELLIS_TOKEN when both are there is shown by running them: test/snippetRuns.
  for (const { id } of SNIPPET_LANGUAGES.filter((language) => language.id !== 'http')) {
    it(`${id}: reads the file ${ENVIRONMENT_VARIABLES.tokenFile} names, and its comment says so`, () => {
      const text = renderRequestSnippet(id, spec(false));
      const lines = text.split('\n');
      const isComment = (line: string) => /^\s*(#|\/\/)/.test(line);
      assert.ok(
        lines.some((line) => isComment(line) && line.includes(ENVIRONMENT_VARIABLES.tokenFile) && line.includes('kept fresh')),
        `the comment names ${ENVIRONMENT_VARIABLES.tokenFile}:\n${text}`,
      );
      assert.ok(
        lines.some((line) => !isComment(line) && line.includes(ENVIRONMENT_VARIABLES.tokenFile)),
        `the code reads ${ENVIRONMENT_VARIABLES.tokenFile}:\n${text}`,
      );
      assert.ok(!renderRequestSnippet(id, spec(true)).includes(ENVIRONMENT_VARIABLES.tokenFile), 'a snippet with the token written into it reads no file');
    });
  }

  for (const { id } of SNIPPET_LANGUAGES) {
    it(`${id}: makes a new Request-Id each time it runs; writes none into the file`, () => {
      for (const literal of [false, true]) {
        const text = renderRequestSnippet(id, spec(literal));
        assert.match(text, NEW_REQUEST_ID[id]);
        assert.doesNotMatch(text, ANY_UUID);
      }
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
    assert.throws(
      () => renderRequestSnippet('curl', { ...spec(false), subscriptionId: 'a\r\nX-Injected: 1' }),
      /Subscription-Id header has line breaks or characters other than printable ASCII/,
    );
  });

  for (const { id } of SNIPPET_LANGUAGES) {
    it(`${id}: a spec's other header parameters are in the snippet, after the Fortellis headers`, () => {
      const text = renderRequestSnippet(id, {
        ...spec(false),
        extraHeaders: [
          ['X-Dealer-Id', 'D-12'],
          ['Content-Language', 'fr-CA'],
        ],
      });
      const accept = text.indexOf('Accept');
      for (const [name, value] of [
        ['X-Dealer-Id', 'D-12'],
        ['Content-Language', 'fr-CA'],
      ]) {
        assert.ok(text.indexOf(name) > accept && accept > 0, `${name} after Accept in\n${text}`);
        assert.ok(text.includes(value), `${value} in\n${text}`);
      }
    });
  }

  it("refuses a spec header the extension or HTTP sets, a malformed one, or a body's header on a request without a body", () => {
    const get = { ...spec(false), method: 'GET', body: undefined };
    for (const [name, expected] of [
      ['Authorization', /"Authorization" is not sent: the extension or HTTP sets it/],
      ['subscription-id', /"subscription-id" is not sent: the extension or HTTP sets it/],
      ['Expect', /"Expect" is not sent: the extension or HTTP sets it/],
      ['Bad Name', /"Bad Name" is not sent: it is not a header name/],
      // A .http file reads a line "###: x" as the end of the request.
      ['###', /"###" is not sent: it is not a header name/],
      ['X-HTTP-Method-Override', /"X-HTTP-Method-Override" is not sent: the extension or HTTP sets it, or a gateway could read it/],
      ['X-Forwarded-Host', /"X-Forwarded-Host" is not sent/],
      ['Expires', /"Expires" is not sent: it describes a body, and this request has none/],
      ['Content-Language', /"Content-Language" is not sent: it describes a body, and this request has none/],
    ] as const) {
      for (const { id } of SNIPPET_LANGUAGES) {
        assert.throws(() => renderRequestSnippet(id, { ...get, extraHeaders: [[name, 'x']] }), expected, `${id}: ${name}`);
      }
    }
    assert.throws(
      () => renderRequestSnippet('curl', { ...spec(false), extraHeaders: [['X-Dealer-Id', 'a\r\nX-Injected: 1']] }),
      /X-Dealer-Id header has line breaks or characters other than printable ASCII/,
    );
  });

  it('refuses a header value Call could not send (non-ASCII), in every language', () => {
    for (const { id } of SNIPPET_LANGUAGES) {
      assert.throws(
        () => renderRequestSnippet(id, { ...spec(false), extraHeaders: [['X-Dealer-Id', 'Zoë’s']] }),
        /X-Dealer-Id header has line breaks or characters other than printable ASCII/,
        id,
      );
    }
  });

  it('.http: refuses a header value or body whose {{…}} no escape keeps as text (httpyac would run it); other languages write it', () => {
    const script = '{{ require("fs").writeFileSync("/tmp/pwned", "}") || "D-12" }}';
    const refused = /A \.http file cannot hold this request: a value has "\{\{" that httpyac would run or replace/;
    assert.throws(() => renderRequestSnippet('http', { ...spec(false), extraHeaders: [['X-Dealer-Id', script]] }), refused);
    assert.throws(() => renderRequestSnippet('http', { ...spec(false), body: `{"a": "${script.replace(/"/g, '\\"')}"}` }), refused);
    assert.throws(() => renderRequestSnippet('http', { ...spec(false), body: '{"a": "{{ unclosed"}' }), refused);
    for (const { id } of SNIPPET_LANGUAGES.filter((language) => language.id !== 'http')) {
      assert.ok(renderRequestSnippet(id, { ...spec(false), extraHeaders: [['X-Dealer-Id', script]] }).includes('writeFileSync'), id);
    }
  });

  it('.http: refuses a body with a line httpyac or REST Client would read as their own syntax; a JSON or plain body is written as it is', () => {
    for (const line of ['# @noRejectUnauthorized', '< /etc/passwd', '  <@ ./file', '>>! /tmp/written.sh', '###', '// note', '@host = x', '===']) {
      assert.throws(
        () => renderRequestSnippet('http', { ...spec(false), body: `hello\n${line}\nbye`, contentType: 'text/plain' }),
        /A \.http file cannot hold this body: httpyac and REST Client would read its line ".*" as their own syntax/,
        line,
      );
    }
    const plain = 'line 1\r\nline 2 # not a comment < > @\n\t{"a": [1, 2]}';
    assert.ok(renderRequestSnippet('http', { ...spec(false), body: plain, contentType: 'text/plain' }).endsWith(`\n\n${plain}\n`));
    assert.ok(renderRequestSnippet('curl', { ...spec(false), body: 'hello\n< /etc/passwd', contentType: 'text/plain' }).includes('/etc/passwd'));
  });

  it('.http: the Content-Type is escaped like every value, and refused when it cannot be; a value with its own \\{\\{…\\}\\} is refused', () => {
    const text = renderRequestSnippet('http', { ...spec(false), contentType: 'application/json; v={{require("fs").rmSync("/x")}}' });
    assert.match(text, /^Content-Type: application\/json; v=\\\{\\\{require\("fs"\)\.rmSync\("\/x"\)\\\}\\\}$/m);
    const refused = /A \.http file cannot hold this request/;
    assert.throws(() => renderRequestSnippet('http', { ...spec(false), contentType: 'application/json; v={{ a } b }}' }), refused);
    assert.throws(() => renderRequestSnippet('http', { ...spec(false), extraHeaders: [['X-Dealer-Id', '\\{\\{x\\}\\}']] }), refused);
  });

  it('C#: headers that describe a body go on the content, and every header is added without .NET reformatting or refusing its value', () => {
    const text = renderRequestSnippet('csharp', {
      ...spec(false),
      extraHeaders: [
        ['If-Match', 'v7'],
        ['Expires', '0'],
        ['Content-Language', 'fr-CA'],
      ],
    });
    assert.match(text, /request\.Headers\.TryAddWithoutValidation\("If-Match", "v7"\);/);
    assert.match(text, /request\.Content\.Headers\.TryAddWithoutValidation\("Expires", "0"\);/);
    assert.match(text, /request\.Content\.Headers\.TryAddWithoutValidation\("Content-Language", "fr-CA"\);/);
    assert.ok(text.indexOf('request.Content = ') < text.indexOf('request.Content.Headers.TryAddWithoutValidation'), 'after the content exists');
    assert.doesNotMatch(text, /\.Headers\.Add\(/);
  });

  it('.http: escapes {{…}} for httpyac, and says so', () => {
    const text = renderRequestSnippet('http', { ...spec(false), body: '{"a": "{{name}}"}' });
    assert.ok(text.includes('{"a": "\\{\\{name\\}\\}"}'));
    assert.match(text, /Double braces below are escaped with backslashes/);
  });
});
