/** curl in a bash script. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, MISSING_TOKEN_REASON, NEW_REQUEST_ID, type SnippetRequest, snippetComment } from '../snippetRequest';
import { hasControl, hex } from '../stringLiterals';

export function renderCurl(request: SnippetRequest): string {
  const authorization =
    request.token.from === 'literal'
      ? bashWord(`${FORTELLIS_HEADERS.authorization}: ${BEARER} ${request.token.value}`)
      : // Inside double quotes, \" is a quote in the :? message too.
        `"${FORTELLIS_HEADERS.authorization}: ${BEARER} \${${ENVIRONMENT_VARIABLES.token}:?${MISSING_TOKEN_REASON.replace(/["\\$`]/g, '\\$&')}}"`;
  const options = [
    '--silent --show-error',
    `--request ${request.method}`,
    `--header ${authorization}`,
    ...request.headers.map(([name, value]) => `--header ${value === NEW_REQUEST_ID ? `"${name}: ${NEW_UUID}"` : bashWord(`${name}: ${value}`)}`),
    ...(request.body
      ? [`--header ${bashWord(`${FORTELLIS_HEADERS.contentType}: ${request.body.contentType}`)}`, `--data-raw ${bashWord(request.body.text)}`]
      : []),
    // The status after the body, on a line of its own.
    `--write-out '\\nHTTP %{http_code}\\n'`,
    bashWord(request.url),
  ];
  // $(<file) drops the line break at the end; [ -r ] is false for an unset or empty name.
  const fromTokenFile =
    request.token.from === 'literal'
      ? []
      : [`if [ -r "\${${ENVIRONMENT_VARIABLES.tokenFile}:-}" ]; then ${ENVIRONMENT_VARIABLES.token}=$(<"$${ENVIRONMENT_VARIABLES.tokenFile}"); fi`];
  return [
    '#!/usr/bin/env bash',
    ...snippetComment(request, 'Run it with bash.').map((line) => `# ${line}`),
    ...fromTokenFile,
    `curl ${options.join(' \\\n  ')}`,
    '',
  ].join('\n');
}

/**
 * A new UUID from the kernel on Linux (WSL too), from uuidgen where there is no /proc (macOS, where it is part of the
 * system; Debian has it only with uuid-runtime). Neither needs anything installed where it is used.
 */
const NEW_UUID = '$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)';

/**
 * One shell word whose value is exactly `text`: single-quoted ('\'' for a quote), or ANSI-C quoted ($'…') when it
 * has control characters (line breaks, tabs), which are then escaped.
 */
function bashWord(text: string): string {
  if (!hasControl(text)) {
    return `'${text.replace(/'/g, "'\\''")}'`;
  }
  return `$'${text.replace(/[\\'\x00-\x1f\x7f]/g, (char) => ANSI_C_ESCAPES[char] ?? `\\x${hex(char.charCodeAt(0), 2)}`)}'`;
}

const ANSI_C_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };
