/** Python 3: requests. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, headerValueText, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
import { backslashLiteral, hex, lighterQuote } from '../stringLiterals';

export function renderPython(request: SnippetRequest): string {
  const literalToken = request.token.from === 'literal' ? request.token.value : undefined;
  const headers = [
    [FORTELLIS_HEADERS.authorization, literalToken === undefined ? `f"${BEARER} {token}"` : pythonString(`${BEARER} ${literalToken}`)],
    ...request.headers.map(([name, value]) => [name, headerValueText(value, pythonString, 'str(uuid.uuid4())')]),
    ...(request.body ? [[FORTELLIS_HEADERS.contentType, pythonString(request.body.contentType)]] : []),
  ];
  return [
    ...snippetComment(request, 'Python 3 with requests (pip install requests).').map((line) => `# ${line}`),
    ...(literalToken === undefined ? ['import os', 'import sys'] : []),
    'import uuid',
    '',
    'import requests',
    '',
    ...(literalToken === undefined
      ? [
          'try:',
          `    with open(os.environ[${pythonString(ENVIRONMENT_VARIABLES.tokenFile)}], encoding="utf-8") as token_file:`,
          '        token = token_file.read().strip()',
          'except (KeyError, OSError):',
          `    token = os.environ.get(${pythonString(ENVIRONMENT_VARIABLES.token)})`,
          'if not token:',
          `    sys.exit(${pythonString(MISSING_TOKEN_MESSAGE)})`,
          '',
        ]
      : []),
    `response = requests.${request.method.toLowerCase()}(`,
    `    ${pythonString(request.url)},`,
    '    headers={',
    ...headers.map(([name, value]) => `        ${pythonString(name)}: ${value},`),
    '    },',
    // Bytes: requests would send a str body as Latin-1.
    ...(request.body ? [`    data=${pythonString(request.body.text)}.encode("utf-8"),`] : []),
    '    timeout=30,',
    ')',
    'print("HTTP", response.status_code)',
    'print(response.text)',
    '',
  ].join('\n');
}

/** A str literal (the quote needing fewer escapes, " on a tie) whose value is exactly `text`. */
function pythonString(text: string): string {
  return backslashLiteral(text, { quote: lighterQuote(text, '"'), control: (code) => `\\x${hex(code, 2)}`, nonAscii: 'keep' });
}
