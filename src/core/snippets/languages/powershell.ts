/** PowerShell 7+: Invoke-WebRequest. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, headerValueText, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
import { hasControl, hex } from '../stringLiterals';

export function renderPowerShell(request: SnippetRequest): string {
  const literalToken = request.token.from === 'literal' ? request.token.value : undefined;
  const headers: Array<[string, string]> = [
    [powerShellString(FORTELLIS_HEADERS.authorization), literalToken === undefined ? `"${BEARER} $token"` : powerShellString(`${BEARER} ${literalToken}`)],
    ...request.headers.map(([name, value]): [string, string] => [
      powerShellString(name),
      headerValueText(value, powerShellString, '[guid]::NewGuid().ToString()'),
    ]),
  ];
  // The body as bytes, so it is sent as UTF-8 whatever the PowerShell version's default encoding.
  const body: Array<[string, string]> = request.body
    ? [
        ['ContentType', powerShellString(request.body.contentType)],
        ['Body', `[System.Text.Encoding]::UTF8.GetBytes(${powerShellString(request.body.text)})`],
      ]
    : [];
  const parameters: Array<[string, string]> = [
    ['Method', powerShellString(request.method)],
    ['Uri', powerShellString(request.url)],
    ['Headers', '$headers'],
    // Sent as they are, as Call sends them (PowerShell would refuse e.g. an If-Match that is not a quoted entity tag).
    ['SkipHeaderValidation', '$true'],
    ...body,
    ['SkipHttpErrorCheck', '$true'],
  ];
  return [
    '#Requires -Version 7',
    ...snippetComment(request, 'PowerShell 7 or later.').map((line) => `# ${line}`),
    ...(literalToken === undefined
      ? [
          `$token = $env:${ENVIRONMENT_VARIABLES.token}`,
          `if ($env:${ENVIRONMENT_VARIABLES.tokenFile} -and (Test-Path -LiteralPath $env:${ENVIRONMENT_VARIABLES.tokenFile} -PathType Leaf)) {`,
          `  $token = (Get-Content -LiteralPath $env:${ENVIRONMENT_VARIABLES.tokenFile} -Raw).Trim()`,
          '}',
          'if (-not $token) {',
          `  throw ${powerShellString(MISSING_TOKEN_MESSAGE)}`,
          '}',
        ]
      : []),
    '$headers = @{',
    ...aligned(headers),
    '}',
    '$request = @{',
    ...aligned(parameters),
    '}',
    '$response = Invoke-WebRequest @request',
    '"HTTP $([int]$response.StatusCode)"',
    '$response.Content',
    '',
  ].join('\n');
}

/** PowerShell reads these as single quotes (a doubled one is one of it). */
const SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
/**
 * Escaped with a backtick in a double-quoted string: double quotes (PowerShell reads these as such), ` and $. And #,
 * which needs none in PowerShell, but tree-sitter's grammar (editors' highlighting) reads # after an escape as a comment.
 */
const BACKTICK_ESCAPED = /["\u201c\u201d\u201e`$#]/g;

/**
 * A string whose value is exactly `text`: single-quoted (quotes doubled) when it is one line without control characters,
 * otherwise double-quoted, with `$, `", ``, `# and `n, `r, `t, `u{…} escapes.
 */
function powerShellString(text: string): string {
  if (!hasControl(text)) {
    return `'${text.replace(SINGLE_QUOTES, '$&$&')}'`;
  }
  const escaped = text.replace(BACKTICK_ESCAPED, '`$&').replace(/[\x00-\x1f\x7f]/g, (char) => POWERSHELL_ESCAPES[char] ?? `\`u{${hex(char.charCodeAt(0), 1)}}`);
  return `"${escaped}"`;
}

/** Hashtable entries, their = signs aligned. */
function aligned(entries: Array<[string, string]>): string[] {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `  ${key.padEnd(width)} = ${value}`);
}

const POWERSHELL_ESCAPES: Readonly<Record<string, string>> = { '\n': '`n', '\r': '`r', '\t': '`t' };
