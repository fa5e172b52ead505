/** C#: HttpClient in a console program (async Main, C# 7.1+; no C# 8+ syntax, so Mono's mcs compiles it too). */
import { ENVIRONMENT_VARIABLES } from '../../apiRequests/fortellisHeaders';
import { BEARER, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
import { backslashLiteral, hex } from '../stringLiterals';

export function renderCSharp(request: SnippetRequest): string {
  const token =
    request.token.from === 'literal'
      ? csharpString(request.token.value)
      : `Environment.GetEnvironmentVariable(${csharpString(ENVIRONMENT_VARIABLES.token)})\n${' '.repeat(12)}?? throw new InvalidOperationException(${csharpString(MISSING_TOKEN_MESSAGE)})`;
  // .NET keeps a body's Content-* headers on the content, and throws when they are added to the request.
  const describesBody = ([name]: readonly [string, string]) => /^content-/i.test(name);
  const body = request.body
    ? [
        // Bytes, so the Content-Type is exactly the one given (StringContent would add "; charset=utf-8").
        `request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(${csharpString(request.body.text)}));`,
        `request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(${csharpString(request.body.contentType)});`,
        ...request.headers.filter(describesBody).map(([name, value]) => `request.Content.Headers.Add(${csharpString(name)}, ${csharpString(value)});`),
      ]
    : [];
  const main = [
    `var token = ${token};`,
    `var request = new HttpRequestMessage(new HttpMethod(${csharpString(request.method)}), ${csharpString(request.url)});`,
    `request.Headers.Authorization = new AuthenticationHeaderValue(${csharpString(BEARER)}, token);`,
    ...request.headers.filter((header) => !describesBody(header)).map(([name, value]) => `request.Headers.Add(${csharpString(name)}, ${csharpString(value)});`),
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
