/** Go: net/http, in package main. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
import { backslashLiteral, hasControl, hex } from '../stringLiterals';

/** net/http's constants for HTTP_METHODS. */
const METHOD_CONSTANTS: Readonly<Record<string, string>> = {
  GET: 'http.MethodGet',
  POST: 'http.MethodPost',
  PUT: 'http.MethodPut',
  PATCH: 'http.MethodPatch',
  DELETE: 'http.MethodDelete',
};

export function renderGo(request: SnippetRequest): string {
  const literalToken = request.token.from === 'literal' ? request.token.value : undefined;
  const token =
    literalToken === undefined
      ? [
          `token := os.Getenv(${goString(ENVIRONMENT_VARIABLES.token)})`,
          'if token == "" {',
          `\tfmt.Fprintln(os.Stderr, ${goString(MISSING_TOKEN_MESSAGE)})`,
          '\tos.Exit(1)',
          '}',
        ]
      : [`token := ${goString(literalToken)}`];
  const headers = [...request.headers, ...(request.body ? [[FORTELLIS_HEADERS.contentType, request.body.contentType] as const] : [])];
  const method = METHOD_CONSTANTS[request.method] ?? goString(request.method);
  const body = request.body ? `strings.NewReader(${goBodyString(request.body.text)})` : 'nil';
  const main = [
    ...token,
    `request, err := http.NewRequest(${method}, ${goString(request.url)}, ${body})`,
    'if err != nil {',
    '\tlog.Fatal(err)',
    '}',
    `request.Header.Set(${goString(FORTELLIS_HEADERS.authorization)}, ${goString(`${BEARER} `)}+token)`,
    ...headers.map(([name, value]) => `request.Header.Set(${goString(name)}, ${goString(value)})`),
    'response, err := http.DefaultClient.Do(request)',
    'if err != nil {',
    '\tlog.Fatal(err)',
    '}',
    'defer response.Body.Close()',
    'responseBody, err := io.ReadAll(response.Body)',
    'if err != nil {',
    '\tlog.Fatal(err)',
    '}',
    'fmt.Println("HTTP", response.StatusCode)',
    'fmt.Println(string(responseBody))',
  ];
  const imports = ['fmt', 'io', 'log', 'net/http', ...(literalToken === undefined ? ['os'] : []), ...(request.body ? ['strings'] : [])];
  return [
    ...snippetComment(request, 'Run it with go run.').map((line) => `// ${line}`),
    '',
    'package main',
    '',
    'import (',
    ...imports.map((name) => `\t"${name}"`),
    ')',
    '',
    'func main() {',
    ...main.map((line) => `\t${line}`),
    '}',
    '',
  ].join('\n');
}

/** An interpreted string literal whose value is exactly `text`. */
function goString(text: string): string {
  return backslashLiteral(text, { quote: '"', control: (code) => `\\x${hex(code, 2)}`, nonAscii: 'keep' });
}

/**
 * The body's literal: raw (`…`), which reads best for JSON, when the body has quotes or backslashes but is one line of
 * printable characters without a backquote; otherwise interpreted.
 */
function goBodyString(text: string): string {
  return /["\\]/.test(text) && !hasControl(text) && !text.includes('`') ? `\`${text}\`` : goString(text);
}
