/** JavaScript and TypeScript: fetch, in an ES module (top-level await) for Node.js 18+. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, headerValueText, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
import { backslashLiteral, hex, lighterQuote } from '../stringLiterals';

export function renderJavaScript(request: SnippetRequest): string {
  return renderFetch(request, 'Node.js 18 or later, as an ES module (top-level await): save it as .mjs.');
}

/** The same program: `token` is narrowed to string by the check, so it type-checks under --strict. */
export function renderTypeScript(request: SnippetRequest): string {
  return renderFetch(request, 'An ES module (top-level await) for Node.js 18 or later: save it as .mts and run it with e.g. npx tsx.');
}

function renderFetch(request: SnippetRequest, howToRun: string): string {
  const literalToken = request.token.from === 'literal' ? request.token.value : undefined;
  const headers = [
    [FORTELLIS_HEADERS.authorization, literalToken === undefined ? `\`${BEARER} \${token}\`` : jsString(`${BEARER} ${literalToken}`)],
    ...request.headers.map(([name, value]) => [name, headerValueText(value, jsString, 'randomUUID()')]),
    ...(request.body ? [[FORTELLIS_HEADERS.contentType, jsString(request.body.contentType)]] : []),
  ];
  return [
    ...snippetComment(request, howToRun).map((line) => `// ${line}`),
    // node:crypto's, as the global crypto needs Node.js 19 or a flag.
    "import { randomUUID } from 'node:crypto';",
    ...(literalToken === undefined ? ["import { readFileSync } from 'node:fs';"] : []),
    '',
    ...(literalToken === undefined
      ? [
          `let token = process.env.${ENVIRONMENT_VARIABLES.token};`,
          `const tokenFile = process.env.${ENVIRONMENT_VARIABLES.tokenFile};`,
          'if (tokenFile) {',
          '  try {',
          "    token = readFileSync(tokenFile, 'utf8').trim();",
          '  } catch {',
          `    // Not readable here: ${ENVIRONMENT_VARIABLES.token} as it is.`,
          '  }',
          '}',
          'if (!token) {',
          `  throw new Error(${jsString(MISSING_TOKEN_MESSAGE)});`,
          '}',
        ]
      : []),
    `const response = await fetch(${jsString(request.url)}, {`,
    `  method: ${jsString(request.method)},`,
    '  headers: {',
    ...headers.map(([name, value]) => `    ${jsString(name)}: ${value},`),
    '  },',
    // A string body is sent as UTF-8.
    ...(request.body ? [`  body: ${jsString(request.body.text)},`] : []),
    '});',
    'console.log(`HTTP ${response.status}`);',
    'console.log(await response.text());',
    '',
  ].join('\n');
}

/** A string literal (' unless " needs fewer escapes) whose value is exactly `text`; never a template literal. */
function jsString(text: string): string {
  return backslashLiteral(text, { quote: lighterQuote(text, "'"), control: (code) => `\\x${hex(code, 2)}`, nonAscii: 'keep' });
}
