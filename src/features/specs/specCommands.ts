import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TokenUseParts } from '../../tokenAcquirer/tokenAcquirer';
import { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import { pickSubscriptionId } from '../../platform/requests/subscriptionPicker';
import { TokenDestinationPrompt } from '../../platform/requests/tokenDestinationPrompt';
import { type ApiRequest, retryNote, sendRenewingOnce } from '../../core/apiRequests/apiCall';
import { headerValue } from '../../core/http/limitedFetch';
import type { Profile } from '../../core/profiles/profiles';
import { renderRequestSnippet, SNIPPET_LANGUAGES, type SnippetLanguageId } from '../../core/snippets/renderSnippet';
import { curlCommand, type CurlRequest, curlRequestOf } from '../../core/specs/copyAsCurl';
import { responseView } from '../../core/specs/responseView';
import { freeFileNextTo } from '../../core/specs/specHttpTarget';
import { isJsonMediaType, type SpecOperation } from '../../core/specs/specModel';
import { type FilledRequest, headersNotSent, parameterProblem, parametersToAsk, parameterWarning, suggestedValues } from '../../core/specs/specRequest';
import { mappedBaseUrl } from '../../core/specs/specServers';
import { type SafeWriteRefusal, writeFileSafely } from '../../core/tokenExport/safeFileWrite';
import type { IssuedToken } from '../../core/tokens/token';
import { RESPONSE_SCHEME, SPEC_COMMANDS } from './specCommandIds';
import type { LoadedSpec, SpecDocuments } from './specDocuments';

const LEAVE_OUT = '$(circle-slash) Leave out';

/** Why writeFileSafely left a .http file unwritten, in words about a .http file (its own messages speak of tokens). */
const NOT_WRITTEN: Readonly<Record<SafeWriteRefusal, string>> = {
  'outside-workspace': 'the spec is outside the workspace folders',
  symlink: 'a symbolic link is at that name',
  'not-a-file': 'something other than a file is at that name',
  unreadable: 'that name could not be checked',
  gone: 'the file is gone',
  'write-failed': 'the write failed',
};

interface Target {
  readonly document: vscode.TextDocument;
  readonly spec: Extract<LoadedSpec, { ok: true }>;
  readonly operation: SpecOperation;
}

/**
 * What the code lenses of a spec run (registered by SpecFeatures, loaded at the first click). A call goes to the
 * profile's environment: the spec's host is never used, and a URL that still leaves the environment's API base (a
 * Custom profile without one, a path that climbs out of it) is sent only after the user confirms the host.
 * What reads the spec in full (the operation, the request body, the .http file, the response check) is asked of the
 * spec worker, within a budget: a step past it ends with why, in a message or the response view.
 */
export class SpecCommands implements vscode.Disposable {
  /** The request behind each response view, for Copy as curl (no token in it). */
  private readonly sent = new Map<string, CurlRequest>();
  private readonly responses = new ReadOnlyDocuments(RESPONSE_SCHEME);
  private readonly destinations = new TokenDestinationPrompt();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly parts: TokenUseParts,
    private readonly specs: SpecDocuments,
  ) {
    this.subscriptions = [vscode.workspace.onDidCloseTextDocument((document) => this.sent.delete(document.uri.toString()))];
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.responses.dispose();
  }

  responseLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.sent.has(document.uri.toString())
      ? [
          new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
            title: '$(copy) Copy as curl',
            tooltip: 'The request as a curl command, the token left as $FORTELLIS_TOKEN',
            command: SPEC_COMMANDS.copyAsCurl,
            arguments: [document.uri],
          }),
        ]
      : [];
  }

  async call(uri: vscode.Uri, method: string, operationPath: string): Promise<void> {
    const title = `Call ${method} ${operationPath}`;
    const target = await this.target(uri, method, operationPath);
    if (!target) {
      return;
    }
    const acquired = await this.parts.acquire();
    if (!acquired) {
      return;
    }
    const [profile, token] = acquired;
    const filled = await this.askRequest(title, target, profile, true);
    if (!filled) {
      return;
    }
    const environment = this.parts.tokens.environment(profile);
    // The spec comes from the workspace: whatever URL it led to, the token leaves the API base only if the user says so.
    if (!(await this.destinations.mayReceiveToken(filled.url, profile, environment))) {
      this.parts.log.info(`${title}: not sent, ${filled.url} is outside the API base and was not confirmed.`);
      return;
    }
    const subscriptionId = await this.subscriptionId(title, profile, token);
    if (subscriptionId === undefined) {
      return;
    }
    try {
      const fresh = await this.parts.tokens.appToken(profile);
      const request: ApiRequest = {
        method: filled.method,
        url: filled.url,
        token: fresh.accessToken,
        subscriptionId,
        requestId: randomUUID(),
        accept: filled.accept,
        extraHeaders: filled.headers,
        ...(filled.body !== undefined && { body: filled.body, contentType: filled.contentType }),
      };
      const renew = async () => (await this.parts.tokens.renewAppToken(profile)).accessToken;
      const {
        response,
        retried,
        request: sent,
      } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fortellis: ${filled.method} ${filled.url}…` }, () =>
        sendRenewingOnce(request, renew, randomUUID, this.parts.settings.http()),
      );
      if (retried) {
        this.parts.log.info(retryNote(retried));
      }
      const { check, body } = await this.specs.worker.check(target.spec.source, method, operationPath, {
        status: response.status,
        contentType: headerValue(response.headers, 'content-type'),
        bodyText: response.bodyText,
        truncated: response.truncated,
      });
      const operationLabel = `${method} ${operationPath}`;
      const view = responseView(sent, response, body, { check, operationLabel, retried });
      this.parts.log.info(
        `${operationLabel} → ${filled.method} ${filled.url} (profile "${profile.name}", Subscription-Id ${subscriptionId}) → ${response.status} in ${response.elapsedMs} ms, Request-Id ${response.requestId}: ${check.verdict}`,
      );
      const editor = await this.responses.show(
        `${method} ${response.status} ${target.operation.operationId ?? path.posix.basename(operationPath)}`,
        view.text,
        view.languageId,
      );
      this.sent.set(editor.document.uri.toString(), curlRequestOf(sent));
      if (response.gatewayError) {
        void this.parts.log.showWarning(`Fortellis gateway: ${response.gatewayError.code}. ${response.gatewayError.hint}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.parts.log.error(`${title} failed: ${message}`);
      void this.parts.log.showError(`Fortellis ${title}: ${message}`, 'Show Log').then((choice) => choice && this.parts.log.show());
    }
  }

  async insertSnippet(uri: vscode.Uri, method: string, operationPath: string): Promise<void> {
    const title = `Insert Snippet · ${method} ${operationPath}`;
    const target = await this.target(uri, method, operationPath);
    if (!target) {
      return;
    }
    const picked = await vscode.window.showQuickPick(
      SNIPPET_LANGUAGES.map((language) => ({ label: language.label, id: language.id as SnippetLanguageId })),
      { title: `${title} · Language` },
    );
    if (!picked) {
      return;
    }
    const acquired = await this.parts.acquire();
    if (!acquired) {
      return;
    }
    const [profile, token] = acquired;
    const filled = await this.askRequest(title, target, profile, false);
    if (!filled) {
      return;
    }
    const subscriptionId = await this.subscriptionId(title, profile, token);
    if (subscriptionId === undefined) {
      return;
    }
    const text = renderRequestSnippet(picked.id, {
      method: filled.method,
      url: filled.url,
      subscriptionId,
      accept: filled.accept,
      extraHeaders: filled.headers,
      ...(filled.body !== undefined && { body: filled.body, contentType: filled.contentType }),
      token: { from: 'environment' },
    });
    const languageId = SNIPPET_LANGUAGES.find((language) => language.id === picked.id)?.languageIds[0];
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: languageId, content: text }), {
      viewColumn: vscode.ViewColumn.Beside,
    });
    this.parts.log.info(`Inserted a ${picked.label} snippet for ${method} ${operationPath} (token read from FORTELLIS_TOKEN).`);
  }

  async openHttp(uri: vscode.Uri): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    const spec = await this.loaded(document);
    if (!spec) {
      return;
    }
    const acquired = await this.parts.acquire();
    if (!acquired) {
      return;
    }
    const [profile, token] = acquired;
    const subscriptionId = await this.subscriptionId('Open as .http', profile, token);
    if (subscriptionId === undefined) {
      return;
    }
    const baseUrl = this.baseUrl(spec, profile);
    const written = await this.specs.worker.ask({
      kind: 'httpFile',
      source: spec.source,
      options: { title: spec.title || path.basename(uri.path), baseUrl, subscriptionId },
    });
    if (!written.done) {
      throw new Error(written.reason);
    }
    const text = written.value;
    const target = await this.writeNextTo(uri, text);
    if (target) {
      await vscode.window.showTextDocument(vscode.Uri.file(target), { viewColumn: vscode.ViewColumn.Beside });
    } else {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'http', content: text }), {
        viewColumn: vscode.ViewColumn.Beside,
      });
    }
    this.parts.log.info(
      `Wrote ${spec.operations.length} operations of ${path.basename(uri.path)} as .http requests${target ? ` to ${target}` : ' to an untitled editor'}.`,
    );
  }

  /**
   * Writes the .http file next to the spec (a free name, no link followed, inside the workspace, see writeFileSafely)
   * and returns its path; undefined when it is not written (the caller opens the text untitled), saying why when the
   * user would expect a file: in Restricted Mode nothing is written into the workspace.
   */
  private async writeNextTo(uri: vscode.Uri, text: string): Promise<string | undefined> {
    if (uri.scheme !== 'file') {
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void this.parts.log.showWarning(
        'Fortellis: this workspace is in Restricted Mode, so Open as .http writes nothing into it: the requests are in an untitled editor. Trust the workspace to have them saved next to the spec.',
      );
      return undefined;
    }
    const target = await freeFileNextTo(uri.fsPath);
    if (target === undefined) {
      void this.parts.log.showWarning(`Fortellis: no free .http name next to ${path.basename(uri.fsPath)}: the requests are in an untitled editor.`);
      return undefined;
    }
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
    const result = await writeFileSafely({ path: target, workspaceFolders, text: () => text });
    if (!result.written) {
      void this.parts.log.showWarning(
        `Fortellis: ${path.basename(target)} was not written (${NOT_WRITTEN[result.reason]}): the requests are in an untitled editor.`,
      );
      return undefined;
    }
    return target;
  }

  async copyAsCurl(uri: vscode.Uri | undefined): Promise<void> {
    const request = uri && this.sent.get(uri.toString());
    if (!request) {
      void this.parts.log.showWarning('Fortellis: Copy as curl works on the response of a Call from a spec.');
      return;
    }
    await vscode.env.clipboard.writeText(curlCommand(request));
    void this.parts.log.showInformation('Fortellis: the request is on the clipboard as a curl command; it reads the token from $FORTELLIS_TOKEN.');
  }

  /** The spec's operation, or undefined once the problem is reported. */
  private async target(uri: vscode.Uri, method: string, operationPath: string): Promise<Target | undefined> {
    const document = await vscode.workspace.openTextDocument(uri);
    const spec = await this.loaded(document);
    if (!spec) {
      return undefined;
    }
    const answer = await this.specs.worker.ask({ kind: 'operation', source: spec.source, method, path: operationPath });
    if (!answer.done) {
      void this.parts.log.showError(`Fortellis: ${method} ${operationPath}: ${answer.reason}.`);
      return undefined;
    }
    const operation = answer.value;
    if (!operation) {
      void this.parts.log.showError(`Fortellis: the spec has no ${method} ${operationPath} any more.`);
      return undefined;
    }
    return { document, spec, operation };
  }

  private async loaded(document: vscode.TextDocument): Promise<Target['spec'] | undefined> {
    const spec = await this.specs.load(document);
    if (!spec.ok) {
      const first = spec.problems[0];
      void this.parts.log.showError(`Fortellis: the spec cannot be used: ${first ? `line ${first.start.line + 1}: ${first.message}` : 'unknown problem'}`);
      return undefined;
    }
    return spec;
  }

  private baseUrl(spec: Target['spec'], profile: Profile): string {
    const environment = this.parts.tokens.environment(profile);
    return mappedBaseUrl(spec.server, environment.apiBaseUrl, profile.useTestNamespace === true);
  }

  private subscriptionId(title: string, profile: Profile, token: IssuedToken): Promise<string | undefined> {
    const environment = this.parts.tokens.environment(profile);
    return pickSubscriptionId(`${title} · Subscription-Id`, profile, environment, token.accessToken, this.parts.settings.http(), this.parts.log);
  }

  /** Asks each parameter (enums picked, required ones enforced) and, for a call, lets the body be edited. */
  private async askRequest(title: string, target: Target, profile: Profile, editBody: boolean): Promise<FilledRequest | undefined> {
    const values: Record<string, string> = {};
    for (const reason of headersNotSent(target.operation)) {
      this.parts.log.warn(`${title}: ${reason}`);
    }
    for (const parameter of parametersToAsk(target.operation)) {
      const label = `${parameter.name} (${parameter.in}${parameter.required ? ', required' : ''})`;
      const suggestions = suggestedValues(parameter);
      if (Array.isArray(parameter.schema.enum)) {
        const items = [...suggestions.map((value) => ({ label: value, value })), ...(parameter.required ? [] : [{ label: LEAVE_OUT, value: '' }])];
        const picked = await vscode.window.showQuickPick(items, {
          title: `${title} · ${parameter.name}`,
          placeHolder: `${label}${parameter.description ? `: ${parameter.description}` : ''}`,
        });
        if (!picked) {
          return undefined;
        }
        values[parameter.name] = picked.value;
        continue;
      }
      const value = await vscode.window.showInputBox({
        title: `${title} · ${parameter.name}`,
        prompt: `${label}${parameter.description ? `: ${parameter.description}` : ''}${suggestions.length > 0 ? ` (e.g. ${suggestions.join(', ')})` : ''}${parameter.required ? '' : ' · empty leaves it out'}`,
        value: parameter.example !== undefined ? (suggestions[0] ?? '') : '',
        placeHolder: suggestions[0],
        ignoreFocusOut: true,
        validateInput: (input) => {
          const problem = parameterProblem(parameter, input);
          const warning = problem === undefined ? parameterWarning(parameter, input) : undefined;
          // A pattern not checked is a warning: the value can still be sent.
          return problem ?? (warning === undefined ? undefined : { message: warning, severity: vscode.InputBoxValidationSeverity.Warning });
        },
      });
      if (value === undefined) {
        return undefined;
      }
      values[parameter.name] = value;
    }
    const { method, path: operationPath } = target.operation;
    const asked = await this.specs.worker.ask({
      kind: 'request',
      source: target.spec.source,
      method,
      path: operationPath,
      baseUrl: this.baseUrl(target.spec, profile),
      values,
    });
    if (!asked.done) {
      throw new Error(asked.reason);
    }
    if ('error' in asked.value) {
      throw new Error(asked.value.error);
    }
    let filled = asked.value.request;
    if (editBody && filled.body !== undefined) {
      const json = isJsonMediaType(filled.contentType ?? '');
      const compact = json ? JSON.stringify(JSON.parse(filled.body)) : filled.body;
      const body = await vscode.window.showInputBox({
        title: `${title} · Body`,
        prompt: `${filled.contentType} body, from the spec's example or schema`,
        value: compact,
        ignoreFocusOut: true,
        validateInput: (input) => (json ? jsonProblem(input) : undefined),
      });
      if (body === undefined) {
        return undefined;
      }
      filled = { ...filled, body: json ? JSON.stringify(JSON.parse(body), null, 2) : body };
    }
    return filled;
  }
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
}
