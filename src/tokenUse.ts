/**
 * The features that put a token to use (snippets, Call API, Inspect Token), built into their own bundle
 * (dist/tokenUse.js) and loaded on their first command: jose and the snippet generators cost activation nothing.
 */
import type * as vscode from 'vscode';
import type { AcquireToken } from './apiRequests/acquireToken';
import { CallApi } from './apiRequests/callApi';
import { InsertRequestSnippet } from './apiRequests/insertRequestSnippet';
import { RequestPrompts } from './apiRequests/requestPrompts';
import type { Redactor } from './core/redaction';
import { InspectToken } from './inspectToken';
import type { Log } from './log';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import type { Settings } from './settings';
import type { TokenService } from './tokenService';

export interface TokenUseParts {
  acquire: AcquireToken;
  tokens: TokenService;
  settings: Settings;
  redactor: Redactor;
  log: Log;
  /** Where recent request URLs are kept (global state: no secrets). */
  state: vscode.Memento;
}

export class TokenUse implements vscode.Disposable {
  private readonly documents = new ReadOnlyDocuments();
  readonly insertRequestSnippet: InsertRequestSnippet;
  readonly callApi: CallApi;
  readonly inspectToken: InspectToken;

  constructor({ acquire, tokens, settings, redactor, log, state }: TokenUseParts) {
    const prompts = new RequestPrompts(state);
    this.insertRequestSnippet = new InsertRequestSnippet(acquire, tokens, prompts, settings, log);
    this.callApi = new CallApi(acquire, tokens, prompts, this.documents, settings, log);
    this.inspectToken = new InspectToken(acquire, tokens, this.documents, settings, redactor, log);
  }

  dispose(): void {
    this.documents.dispose();
  }
}
