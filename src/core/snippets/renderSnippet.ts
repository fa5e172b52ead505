/**
 * Request snippets: a complete, runnable Fortellis API request (Authorization, Subscription-Id, Request-Id, Accept)
 * in the language of the editor it goes into. Pure text: no I/O.
 */
import { renderCSharp } from './languages/csharp';
import { renderCurl } from './languages/curl';
import { renderJavaScript, renderTypeScript } from './languages/fetch';
import { renderGo } from './languages/go';
import { renderHttpFile } from './languages/httpFile';
import { renderJava } from './languages/java';
import { renderPowerShell } from './languages/powershell';
import { renderPython } from './languages/python';
import { type RequestSnippetSpec, type SnippetRequest, snippetRequest } from './snippetRequest';

export interface SnippetLanguage {
  readonly id: string;
  /** Shown in the language quick pick. */
  readonly label: string;
  /** VS Code language ids this snippet is inserted into as it is; the first one is used for a new editor. */
  readonly languageIds: readonly string[];
  /** Of a file holding just the snippet, without the dot. */
  readonly fileExtension: string;
}

/** The languages snippets are written in. */
export const SNIPPET_LANGUAGES = [
  { id: 'curl', label: 'curl (bash)', languageIds: ['shellscript'], fileExtension: 'sh' },
  { id: 'powershell', label: 'PowerShell', languageIds: ['powershell'], fileExtension: 'ps1' },
  { id: 'python', label: 'Python (requests)', languageIds: ['python'], fileExtension: 'py' },
  { id: 'javascript', label: 'JavaScript (fetch)', languageIds: ['javascript', 'javascriptreact'], fileExtension: 'mjs' },
  { id: 'typescript', label: 'TypeScript (fetch)', languageIds: ['typescript', 'typescriptreact'], fileExtension: 'mts' },
  { id: 'csharp', label: 'C# (HttpClient)', languageIds: ['csharp'], fileExtension: 'cs' },
  { id: 'java', label: 'Java (java.net.http.HttpClient)', languageIds: ['java'], fileExtension: 'java' },
  { id: 'go', label: 'Go (net/http)', languageIds: ['go'], fileExtension: 'go' },
  { id: 'http', label: 'HTTP request (REST Client, httpyac)', languageIds: ['http'], fileExtension: 'http' },
] as const satisfies readonly SnippetLanguage[];

export type SnippetLanguageId = (typeof SNIPPET_LANGUAGES)[number]['id'];

const RENDERERS: Readonly<Record<SnippetLanguageId, (request: SnippetRequest) => string>> = {
  curl: renderCurl,
  powershell: renderPowerShell,
  python: renderPython,
  javascript: renderJavaScript,
  typescript: renderTypeScript,
  csharp: renderCSharp,
  java: renderJava,
  go: renderGo,
  http: renderHttpFile,
};

/** The snippet language for a VS Code language id, if there is one. */
export function snippetLanguageFor(languageId: string): SnippetLanguageId | undefined {
  return SNIPPET_LANGUAGES.find((language) => (language.languageIds as readonly string[]).includes(languageId))?.id;
}

/**
 * The snippet's text, ending with a line break. Throws when the spec cannot make a request: a method outside
 * HTTP_METHODS, a body on a method without one, a URL that is not http(s), a header value a header cannot carry
 * (headerValueRefusal), an extra header extraHeaderRefusal refuses, or, in a .http file, a {{ no escape keeps as text
 * or a body line httpyac would read as its own syntax (see renderHttpFile).
 */
export function renderRequestSnippet(language: SnippetLanguageId, spec: RequestSnippetSpec): string {
  return RENDERERS[language](snippetRequest(spec));
}
