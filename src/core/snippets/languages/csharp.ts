/** C#: HttpClient in a console program (async Main, C# 7.1+; no C# 8+ syntax, so Mono's mcs compiles it too). */
import { describesBody } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, headerValueText, MISSING_TOKEN_MESSAGE, type SnippetHeaderValue, type SnippetRequest, snippetComment } from '../snippetRequest';
import { backslashLiteral, hex } from '../stringLiterals';

export function renderCSharp(request: SnippetRequest): string {
  const literalToken = request.token.from === 'literal' ? request.token.value : undefined;
  // File.Exists is false for a null or empty name.
  const token =
    literalToken === undefined
      ? [
          `var token = Environment.GetEnvironmentVariable(${csharpString(ENVIRONMENT_VARIABLES.token)});`,
          `var tokenFile = Environment.GetEnvironmentVariable(${csharpString(ENVIRONMENT_VARIABLES.tokenFile)});`,
          'if (File.Exists(tokenFile))',
          '{',
          '    token = File.ReadAllText(tokenFile).Trim();',
          '}',
          'if (string.IsNullOrEmpty(token))',
          '{',
          `    throw new InvalidOperationException(${csharpString(MISSING_TOKEN_MESSAGE)});`,
          '}',
        ]
      : [`var token = ${csharpString(literalToken)};`];
  // .NET keeps the headers that describe a body on the content; TryAddWithoutValidation sends a value as it is, as Call
  // does (Add would throw on e.g. an If-Match that is not a quoted entity tag).
  const onContent = ([name]: readonly [string, SnippetHeaderValue]) => describesBody(name);
  const added =
    (target: string) =>
    ([name, value]: readonly [string, SnippetHeaderValue]) =>
      `${target}.TryAddWithoutValidation(${csharpString(name)}, ${headerValueText(value, csharpString, 'Guid.NewGuid().ToString()')});`;
  const body = request.body
    ? [
        // Bytes, so the Content-Type is exactly the one given (StringContent would add "; charset=utf-8").
        `request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(${csharpString(request.body.text)}));`,
        `request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(${csharpString(request.body.contentType)});`,
        ...request.headers.filter(onContent).map(added('request.Content.Headers')),
      ]
    : [];
  const main = [
    ...token,
    `var request = new HttpRequestMessage(new HttpMethod(${csharpString(request.method)}), ${csharpString(request.url)});`,
    `request.Headers.Authorization = new AuthenticationHeaderValue(${csharpString(BEARER)}, token);`,
    ...request.headers.filter((header) => !onContent(header)).map(added('request.Headers')),
    ...body,
    'using (var client = new HttpClient())',
    'using (var response = await client.SendAsync(request))',
    '{',
    '    Console.WriteLine("HTTP " + (int)response.StatusCode);',
    '    Console.WriteLine(await response.Content.ReadAsStringAsync());',
    '}',
  ];
  return [
    ...snippetComment(request, '.NET 6 or later, or any C# 7.1+ compiler (async Main).').map((line) => `// ${line}`),
    'using System;',
    ...(literalToken === undefined ? ['using System.IO;'] : []),
    'using System.Net.Http;',
    'using System.Net.Http.Headers;',
    ...(request.body ? ['using System.Text;'] : []),
    'using System.Threading.Tasks;',
    '',
    'public static class FortellisRequest',
    '{',
    '    public static async Task Main()',
    '    {',
    ...main.map((line) => `        ${line}`),
    '    }',
    '}',
    '',
  ].join('\n');
}

/** A regular (not verbatim, not interpolated) string literal whose value is exactly `text`, in ASCII. */
function csharpString(text: string): string {
  return backslashLiteral(text, { quote: '"', control: (code) => `\\u${hex(code, 4)}`, nonAscii: 'escape' });
}
