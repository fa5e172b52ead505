/** Go: net/http, in package main. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, headerValueText, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
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
          `if content, err := os.ReadFile(os.Getenv(${goString(ENVIRONMENT_VARIABLES.tokenFile)})); err == nil {`,
          '\ttoken = strings.TrimSpace(string(content))',
          '}',
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
    ...headers.map(([name, value]) => `request.Header.Set(${goString(name)}, ${headerValueText(value, goString, 'newRequestID()')})`),
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
  const imports = [
    'crypto/rand',
    'fmt',
    'io',
    'log',
    'net/http',
    ...(literalToken === undefined ? ['os'] : []),
    ...(literalToken === undefined || request.body ? ['strings'] : []),
  ];
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
    ...NEW_REQUEST_ID_FUNCTION,
    '',
  ].join('\n');
}

/** A version 4 UUID (RFC 9562) from crypto/rand: the standard library has no UUID package. */
const NEW_REQUEST_ID_FUNCTION = [
  '// newRequestID makes a new Request-Id for each request: a random (version 4) UUID.',
  'func newRequestID() string {',
  '\tid := make([]byte, 16)',
  '\tif _, err := rand.Read(id); err != nil {',
  '\t\tlog.Fatal(err)',
  '\t}',
  '\tid[6] = id[6]&0x0f | 0x40',
  '\tid[8] = id[8]&0x3f | 0x80',
  '\treturn fmt.Sprintf("%x-%x-%x-%x-%x", id[0:4], id[4:6], id[6:8], id[8:10], id[10:])',
  '}',
];

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
