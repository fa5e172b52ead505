import * as vscode from 'vscode';
import { apiUrlProblem, startingApiUrl } from '../../core/apiRequests/apiUrls';
import type { Environment } from '../../core/profiles/environments';
import { HTTP_METHODS, METHODS_WITH_BODY } from '../../core/apiRequests/fortellisHeaders';
import type { Profile } from '../../core/profiles/profiles';
import type { RequestDraft } from '../../core/apiRequests/apiRequestSteps';
import type { TokenDestinationPrompt } from './tokenDestinationPrompt';

const RECENT_URLS_KEY = 'fortellis.recentApiUrls';
const MAX_RECENT_URLS = 10;
const NEW_URL_LABEL = '$(edit) Enter a URL…';

/** The steps shared by "Insert Request Snippet" and "Call API": method, URL (recent ones offered), body. */
export class RequestPrompts {
  /**
   * Recent URLs are not secret (no tokens in them); kept in global state. `destinations`: hosts outside the API base are
   * asked for once per session (shared with the agent tools).
   */
  constructor(
    private readonly state: vscode.Memento,
    private readonly destinations: TokenDestinationPrompt,
  ) {}

  /**
   * Asks for a request (method, URL and, for POST/PUT/PATCH, a body), step by step; undefined when the user cancels. `body` skips the body step (e.g. the
   * editor's selection for Call API).
   */
  async ask(title: string, profile: Profile, environment: Environment, body?: string): Promise<RequestDraft | undefined> {
    const method = await vscode.window.showQuickPick(
      HTTP_METHODS.map((label) => ({ label })),
      { title: `${title} · Method`, placeHolder: 'HTTP method' },
    );
    if (!method) {
      return undefined;
    }
    const url = await this.askUrl(`${title} · URL`, profile, environment);
    if (url === undefined) {
      return undefined;
    }
    if (!METHODS_WITH_BODY.includes(method.label)) {
      return { method: method.label, url };
    }
    const requestBody =
      body ??
      (await vscode.window.showInputBox({
        title: `${title} · Body`,
        prompt: `Body of the ${method.label} request (sent as application/json). Tip: select a body in the editor before "Call API".`,
        value: '{}',
        ignoreFocusOut: true,
        validateInput: (value) =>
          isJson(value) ? undefined : { message: 'Not valid JSON: it is sent as typed.', severity: vscode.InputBoxValidationSeverity.Warning },
      }));
    return requestBody === undefined ? undefined : { method: method.label, url, body: requestBody };
  }

  private async askUrl(title: string, profile: Profile, environment: Environment): Promise<string | undefined> {
    const recent = this.state.get<string[]>(RECENT_URLS_KEY, []).filter((url) => url.startsWith(startingApiUrl(environment)));
    let value = startingApiUrl(environment);
    if (recent.length > 0) {
      const picked = await vscode.window.showQuickPick([{ label: NEW_URL_LABEL }, ...recent.map((label) => ({ label, description: 'recent' }))], {
        title,
        placeHolder: 'A recent URL, or a new one',
      });
      if (!picked) {
        return undefined;
      }
      value = picked.label === NEW_URL_LABEL ? value : picked.label;
    }
    const testNamespace = profile.useTestNamespace === true;
    const url = await vscode.window.showInputBox({
      title,
      prompt: `Request URL${testNamespace ? ' (this profile calls test namespaces: /<namespace>-test/…)' : ''}`,
      value,
      valueSelection: [value.length, value.length],
      ignoreFocusOut: true,
      validateInput: (input) => {
        const problem = apiUrlProblem(input, environment, testNamespace);
        return (
          problem && {
            message: problem.message,
            severity: problem.blocking ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning,
          }
        );
      },
    });
    if (url === undefined) {
      return undefined;
    }
    const trimmed = url.trim();
    if (!(await this.destinations.mayReceiveToken(trimmed, profile, environment))) {
      return undefined;
    }
    await this.state.update(
      RECENT_URLS_KEY,
      [trimmed, ...this.state.get<string[]>(RECENT_URLS_KEY, []).filter((old) => old !== trimmed)].slice(0, MAX_RECENT_URLS),
    );
    return trimmed;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
