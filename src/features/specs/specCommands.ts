import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TokenUseParts } from '../../tokenAcquirer/tokenAcquirer';
import { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import { pickSubscriptionId } from '../../platform/requests/subscriptionPicker';
import { ApiRequestPipeline } from '../../platform/requests/apiRequestPipeline';
import { TokenDestinationPrompt } from '../../platform/requests/tokenDestinationPrompt';
import { headerValue } from '../../core/http/limitedFetch';
import type { Profile } from '../../core/profiles/profiles';
import { renderRequestSnippet, SNIPPET_LANGUAGES, type SnippetLanguageId } from '../../core/snippets/renderSnippet';
import { responseView } from '../../core/apiRequests/responseView';
import { freeFileNextTo } from '../../core/specs/specHttpTarget';
import type { SpecOperation } from '../../core/specs/specModel';
import type { FilledRequest } from '../../core/specs/specRequest';
import { mappedBaseUrl } from '../../core/specs/specServers';
import { type SafeWriteRefusal, writeFileSafely } from '../../core/tokenExport/safeFileWrite';
import type { IssuedToken } from '../../core/tokens/token';
import { HTTP_LANGUAGE_ID, RESPONSE_SCHEME } from '../../platform/commandIds';
import type { LoadedSpec, SpecDocuments } from './specDocuments';
import { askSpecRequest } from './specParameterForm';

/** Why writeFileSafely left a .http file unwritten, in words about a .http file (its own messages speak of tokens). */
const NOT_WRITTEN: Readonly<Record<SafeWriteRefusal, string>> = {
  'outside-workspace': 'the spec is outside the workspace folders',
  symlink: 'a symbolic link is at that name',
  'not-a-file': 'something other than a file is at that name',
  unreadable: 'that name could not be checked',
  gone: 'the file is gone',
  tracked: 'git tracks that file',
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
  private readonly responseViews = new ReadOnlyDocuments(RESPONSE_SCHEME);
  private readonly destinations = new TokenDestinationPrompt();
  private readonly pipeline: ApiRequestPipeline;

  constructor(
    private readonly parts: TokenUseParts,
    private readonly specs: SpecDocuments,
  ) {
    this.pipeline = new ApiRequestPipeline(parts);
  }

  dispose(): void {
    this.responseViews.dispose();
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
    const { headers: extraHeaders, ...rest } = filled;
    const draft = { ...rest, extraHeaders };
    // The spec comes from the workspace: whatever URL it led to, the token leaves the API base only if the user says so.
    if (!(await this.pipeline.confirm(this.destinations, { label: title, profile, draft }))) {
      return;
    }
    const subscriptionId = await this.subscriptionId(title, profile, token);
    if (subscriptionId === undefined) {
      return;
    }
    const operationLabel = `${method} ${operationPath}`;
    await this.pipeline.sendAndShow(
      { label: title, profile, draft, subscriptionId },
      {
        documents: this.responseViews,
        view: async ({ request, response, retried }) => {
          const { check, body } = await this.specs.worker.check(target.spec.source, method, operationPath, {
            status: response.status,
            contentType: headerValue(response.headers, 'content-type'),
            bodyText: response.bodyText,
            truncated: response.truncated,
          });
          const view = responseView(request, response, body, { check, operationLabel, retried });
          const documentTitle = `${method} ${response.status} ${target.operation.operationId ?? path.posix.basename(operationPath)}`;
          return { title: documentTitle, text: view.text, languageId: view.languageId, verdict: check.verdict };
        },
      },
    );
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
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: HTTP_LANGUAGE_ID, content: text }), {
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
    const environment = this.parts.settings.environment(profile);
    return mappedBaseUrl(spec.server, environment.apiBaseUrl, profile.useTestNamespace === true);
  }

  private subscriptionId(title: string, profile: Profile, token: IssuedToken): Promise<string | undefined> {
    const environment = this.parts.settings.environment(profile);
    return pickSubscriptionId(`${title} · Subscription-Id`, profile, environment, token.accessToken, this.parts.settings.http(), this.parts.log);
  }

  private askRequest(title: string, target: Target, profile: Profile, editBody: boolean): Promise<FilledRequest | undefined> {
    const form = { source: target.spec.source, operation: target.operation, baseUrl: this.baseUrl(target.spec, profile) };
    return askSpecRequest(title, form, editBody, this.specs.worker, this.parts.log);
  }
}
