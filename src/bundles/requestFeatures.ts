/**
 * The features that put a token to use (snippets, Call API, Inspect Token), built into their own bundle
 * (dist/apiRequestFeatures.js) and loaded on their first command: jose and the snippet generators cost activation nothing.
 */
import type * as vscode from 'vscode';
import type { CommandHandler } from '../platform/registerCommands';
import type { TokenUseParts } from '../tokenAcquirer/tokenAcquirer';
import { CallApi } from '../features/apiCalls/callApi';
import { HttpFileSend } from '../features/httpFiles/httpFileSend';
import { type HistoryCommand, RequestHistoryCommands } from '../features/history/requestHistoryCommands';
import { InsertRequestSnippet } from '../features/snippets/insertRequestSnippet';
import { RequestPrompts } from '../platform/requests/requestPrompts';
import { InspectToken } from '../features/inspect/inspectToken';
import { ReadOnlyDocuments } from '../platform/readOnlyDocuments';
import { TokenDestinationPrompt } from '../platform/requests/tokenDestinationPrompt';
import { AgentTools, type AgentToolParts } from '../features/agentTools/agentTools';

/** The hosts outside the API base the user allowed this session: one set for Call API, snippets and the agent tools. */
const tokenDestinations = new TokenDestinationPrompt();

export type RequestCommand = 'insertRequestSnippet' | 'callApi' | 'newRequest' | 'sendHttpRequest' | 'inspectToken' | HistoryCommand;

export class TokenUse implements vscode.Disposable {
  private readonly documents = new ReadOnlyDocuments();
  private readonly insertRequestSnippet: InsertRequestSnippet;
  private readonly callApi: CallApi;
  private readonly httpFileSend: HttpFileSend;
  private readonly inspectToken: InspectToken;
  private readonly history: RequestHistoryCommands;

  constructor({ acquire, tokens, choice, settings, redactor, log, state, responses, history }: TokenUseParts) {
    const prompts = new RequestPrompts(state, tokenDestinations);
    this.insertRequestSnippet = new InsertRequestSnippet(acquire, prompts, settings, log);
    this.callApi = new CallApi(acquire, tokens, prompts, this.documents, settings, log, { history, choice, responses });
    this.httpFileSend = new HttpFileSend(acquire, tokens, this.documents, tokenDestinations, settings, log, { history, choice, responses });
    this.history = new RequestHistoryCommands(acquire, tokens, history, this.documents, tokenDestinations, settings, log, { choice, responses });
    this.inspectToken = new InspectToken(acquire, tokens, this.documents, settings, redactor, log);
  }

  handlers(): Record<RequestCommand, CommandHandler> {
    return {
      insertRequestSnippet: () => this.insertRequestSnippet.run(),
      callApi: () => this.callApi.run(),
      newRequest: () => this.httpFileSend.newRequest(),
      sendHttpRequest: (uri, line) => this.httpFileSend.send(uri, line),
      inspectToken: () => this.inspectToken.run(),
      ...this.history.handlers(),
    };
  }

  dispose(): void {
    this.documents.dispose();
  }
}

/** The agent tools' implementation shares this bundle (and Call API's approvals): registered at activation as thin wrappers (src/features/agentTools). */
export function createAgentTools(parts: AgentToolParts): AgentTools {
  return new AgentTools(parts, tokenDestinations);
}
