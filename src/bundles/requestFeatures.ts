/**
 * The features that put a token to use (snippets, Call API, Inspect Token), built into their own bundle
 * (dist/apiRequestFeatures.js) and loaded on their first command: jose and the snippet generators cost activation nothing.
 */
import type * as vscode from 'vscode';
import type { AcquireToken } from '../tokenAcquirer/acquireToken';
import { CallApi } from '../features/apiCalls/callApi';
import { InsertRequestSnippet } from '../features/snippets/insertRequestSnippet';
import { RequestPrompts } from '../platform/requests/requestPrompts';
import type { Redactor } from '../core/text/redaction';
import { InspectToken } from '../features/inspect/inspectToken';
import type { Log } from '../platform/log';
import { ReadOnlyDocuments } from '../platform/readOnlyDocuments';
import { TokenDestinationPrompt } from '../platform/requests/tokenDestinationPrompt';
import { AgentTools, type AgentToolParts } from '../features/agentTools/agentTools';
import type { Settings } from '../platform/settings/settings';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';

export interface TokenUseParts {
  acquire: AcquireToken;
  tokens: TokenLifecycle;
  settings: Settings;
  redactor: Redactor;
  log: Log;
  /** Where recent request URLs are kept (global state: no secrets). */
  state: vscode.Memento;
}

/** The hosts outside the API base the user allowed this session: one set for Call API, snippets and the agent tools. */
const tokenDestinations = new TokenDestinationPrompt();

export class TokenUse implements vscode.Disposable {
  private readonly documents = new ReadOnlyDocuments();
  readonly insertRequestSnippet: InsertRequestSnippet;
  readonly callApi: CallApi;
  readonly inspectToken: InspectToken;

  constructor({ acquire, tokens, settings, redactor, log, state }: TokenUseParts) {
    const prompts = new RequestPrompts(state, tokenDestinations);
    this.insertRequestSnippet = new InsertRequestSnippet(acquire, tokens, prompts, settings, log);
    this.callApi = new CallApi(acquire, tokens, prompts, this.documents, settings, log);
    this.inspectToken = new InspectToken(acquire, tokens, this.documents, settings, redactor, log);
  }

  dispose(): void {
    this.documents.dispose();
  }
}

/** The agent tools' implementation shares this bundle (and Call API's approvals): registered at activation as thin wrappers (src/agentTools). */
export function createAgentTools(parts: AgentToolParts): AgentTools {
  return new AgentTools(parts, tokenDestinations);
}
