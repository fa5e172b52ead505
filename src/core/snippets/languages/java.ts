/** Java 11+: java.net.http.HttpClient, in a class runnable as `java FortellisRequest.java`. */
import { FORTELLIS_HEADERS } from '../../apiRequests/fortellisHeaders';
import { ENVIRONMENT_VARIABLES } from '../../tokenExport/environmentVariables';
import { BEARER, headerValueText, MISSING_TOKEN_MESSAGE, type SnippetRequest, snippetComment } from '../snippetRequest';
import { backslashLiteral } from '../stringLiterals';

export function renderJava(request: SnippetRequest): string {
  const literalToken = request.token.from === 'literal' ? request.token.value : undefined;
  const token =
    literalToken === undefined
      ? [
          `String token = System.getenv(${javaString(ENVIRONMENT_VARIABLES.token)});`,
          `String tokenFile = System.getenv(${javaString(ENVIRONMENT_VARIABLES.tokenFile)});`,
          'if (tokenFile != null && !tokenFile.isEmpty()) {',
          '    try {',
          '        token = Files.readString(Path.of(tokenFile)).strip();',
          '    } catch (IOException unreadable) {',
          `        // Not readable here: ${ENVIRONMENT_VARIABLES.token} as it is.`,
          '    }',
          '}',
          'if (token == null || token.isEmpty()) {',
          `    System.err.println(${javaString(MISSING_TOKEN_MESSAGE)});`,
          '    System.exit(1);',
          '}',
        ]
      : [`String token = ${javaString(literalToken)};`];
  // ofString sends the body as UTF-8.
  const publisher = request.body ? `HttpRequest.BodyPublishers.ofString(${javaString(request.body.text)})` : 'HttpRequest.BodyPublishers.noBody()';
  const headers = [...request.headers, ...(request.body ? [[FORTELLIS_HEADERS.contentType, request.body.contentType] as const] : [])];
  const main = [
    ...token,
    `HttpRequest request = HttpRequest.newBuilder(URI.create(${javaString(request.url)}))`,
    `        .method(${javaString(request.method)}, ${publisher})`,
    `        .header(${javaString(FORTELLIS_HEADERS.authorization)}, ${javaString(`${BEARER} `)} + token)`,
    ...headers.map(([name, value]) => `        .header(${javaString(name)}, ${headerValueText(value, javaString, 'UUID.randomUUID().toString()')})`),
    '        .build();',
    'HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());',
    'System.out.println("HTTP " + response.statusCode());',
    'System.out.println(response.body());',
  ];
  return [
    ...snippetComment(request, 'Java 11 or later: java FortellisRequest.java').map((line) => `// ${line}`),
    ...(literalToken === undefined ? ['import java.io.IOException;'] : []),
    'import java.net.URI;',
    'import java.net.http.HttpClient;',
    'import java.net.http.HttpRequest;',
    'import java.net.http.HttpResponse;',
    ...(literalToken === undefined ? ['import java.nio.file.Files;', 'import java.nio.file.Path;'] : []),
    'import java.util.UUID;',
    '',
    'public class FortellisRequest {',
    '    public static void main(String[] args) throws Exception {',
    ...main.map((line) => `        ${line}`),
    '    }',
    '}',
    '',
  ].join('\n');
}

/**
 * A string literal whose value is exactly `text`, in ASCII. Controls are octal escapes: javac turns \uXXXX escapes into
 * characters before it reads literals, so \u000A would end the line (non-ASCII \uXXXX escapes are safe).
 */
function javaString(text: string): string {
  return backslashLiteral(text, { quote: '"', control: (code) => `\\${code.toString(8).padStart(3, '0')}`, nonAscii: 'escape' });
}
