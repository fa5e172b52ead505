/**
 * The agent tools' implementation, in the lazily loaded bundle (dist/apiRequestFeatures.js): registerAgentTools.ts
 * registers thin wrappers at activation, and this runs on their first use. Every result goes through
 * redactToolResult. No tool opens a prompt (with no profile or no token it says what the user must do), except call_api's
 * own modal before the token leaves the profile's trusted API base, and before every request in Restricted Mode.
 */
import * as vscode from 'vscode';
import { messageOf } from '../../core/text/errorMessage';
import { listSubscriptions, SubscriptionsError } from '../../core/apiRequests/subscriptions';
import { trustedApiBase } from '../../core/apiRequests/tokenDestinations';
import { callApiConfirmation, callApiQuestion, declinedResult } from '../../core/agentTools/agentConfirmation';
import { redactToolResult } from '../../core/agentTools/agentResultRedaction';
import { checkCallApiInput, checkDecodeTokenInput, checkExplainErrorInput } from '../../core/agentTools/agentToolInputs';
import { AGENT_TOOLS, type AgentToolName } from '../../core/agentTools/agentToolNames';
import { USER_ACTION } from '../../core/agentTools/agentUserActions';
import { callApiResult, decodeTokenResult, explainErrorResult, subscriptionsResult, tokenStatusResult } from '../../core/agentTools/agentToolResults';
import { cancellableFetch } from '../../core/agentTools/cancellableFetch';
import type { HttpOptions } from '../../core/http/limitedFetch';
import { type Environment, PRODUCTION_ISSUER } from '../../core/profiles/environments';
import type { Profile } from '../../core/profiles/profiles';
import type { Redactor } from '../../core/text/redaction';
import type { IssuedToken } from '../../core/tokens/token';
import { inspectToken } from '../../core/tokens/tokenChecks';
import { MissingSecretError } from '../../core/tokens/tokenErrors';
import type { TokenChoice } from '../../platform/tokenChoice';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import { tokenOf, type TokenSubject } from '../../core/tokens/tokenSubject';
import type { Log } from '../../platform/log';
import type { Settings } from '../../platform/settings/settings';
import { ApiRequestPipeline } from '../../platform/requests/apiRequestPipeline';
import type { TokenDestinationPrompt } from '../../platform/requests/tokenDestinationPrompt';

export interface AgentToolParts {
  tokens: TokenLifecycle;
  /** call_api sends the token Choose Token… picked for the profile; list_subscriptions the app's. */
  choice: TokenChoice;
  settings: Settings;
  redactor: Redactor;
  log: Log;
}

/** What one call leaves for the redactor besides what the extension's redactor knows: tokens it used or was given. */
type CallSecrets = Array<string | undefined>;

export class AgentTools {
  private readonly pipeline: ApiRequestPipeline;

  /** `destinations`: Call API's approvals of hosts outside the API base, which call_api shares. */
  constructor(
    private readonly parts: AgentToolParts,
    private readonly destinations: TokenDestinationPrompt,
  ) {
    this.pipeline = new ApiRequestPipeline(parts);
  }

  /**
   * VS Code's confirmation for call_api: before every non-GET and before any URL outside the trusted API base. The user
   * may switch it off, so invoke() asks again in the extension's own dialog; the other tools never send a token elsewhere.
   */
  prepare(name: AgentToolName, input: unknown): vscode.PreparedToolInvocation | undefined {
    if (name !== AGENT_TOOLS.callApi) {
      return undefined;
    }
    const profile = this.parts.settings.activeProfile();
    if (!profile) {
      return { invocationMessage: 'Fortellis: no profile yet' };
    }
    const base = trustedApiBase(profile, this.parts.settings.environment(profile));
    const checked = checkCallApiInput(input, base);
    if (!checked.ok) {
      return { invocationMessage: 'Fortellis: checking the request' };
    }
    const { invocationMessage, confirmation } = callApiConfirmation(checked.value, base, profile.name, profile.subscriptionId, { known: this.parts.redactor });
    return { invocationMessage, ...(confirmation && { confirmationMessages: confirmation }) };
  }

  async invoke(name: AgentToolName, input: unknown, cancellation: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const secrets: CallSecrets = [];
    const aborted = new AbortController();
    const listener = cancellation.onCancellationRequested(() => aborted.abort());
    if (cancellation.isCancellationRequested) {
      aborted.abort();
    }
    let parts: string[];
    try {
      throwIfCancelled(cancellation);
      parts = await this.run(name, input, secrets, { ...this.parts.settings.http(), fetch: cancellableFetch(aborted.signal) }, cancellation);
    } catch (error) {
      throwIfCancelled(cancellation);
      const message = messageOf(error);
      parts = [`${name} failed: ${message}`];
    } finally {
      listener.dispose();
    }
    throwIfCancelled(cancellation);
    const redacted = redactToolResult(parts, { known: this.parts.redactor, values: secrets });
    return new vscode.LanguageModelToolResult(redacted.map((part) => new vscode.LanguageModelTextPart(part)));
  }

  private run(name: AgentToolName, input: unknown, secrets: CallSecrets, http: HttpOptions, cancellation: vscode.CancellationToken): Promise<string[]> {
    switch (name) {
      case AGENT_TOOLS.callApi:
        return this.callApi(input, secrets, http, cancellation);
      case AGENT_TOOLS.tokenStatus:
        return this.tokenStatus();
      case AGENT_TOOLS.listSubscriptions:
        return this.listSubscriptions(secrets, http, cancellation);
      case AGENT_TOOLS.explainError:
        return Promise.resolve(this.explainError(input));
      case AGENT_TOOLS.decodeToken:
        return this.decodeToken(input, secrets, http);
    }
  }

  private async callApi(input: unknown, secrets: CallSecrets, http: HttpOptions, cancellation: vscode.CancellationToken): Promise<string[]> {
    const profile = this.parts.settings.activeProfile();
    if (!profile) {
      return [USER_ACTION.noProfile];
    }
    const base = trustedApiBase(profile, this.parts.settings.environment(profile));
    const checked = checkCallApiInput(input, base);
    if (!checked.ok) {
      return [`Nothing was sent: ${checked.problem}`];
    }
    const plan = checked.value;
    // Asked here, not only in prepare(): VS Code's confirmation can be switched off, this one cannot.
    const context = {
      trustedBase: base,
      profileName: profile.name,
      defaultSubscriptionId: profile.subscriptionId,
      restricted: !vscode.workspace.isTrusted,
      secrets: { known: this.parts.redactor },
    };
    const call = {
      label: `Agent tool ${AGENT_TOOLS.callApi}`,
      profile,
      draft: { method: plan.method, url: plan.url, ...(plan.body !== undefined && { body: plan.body }) },
      subscriptionId: plan.subscriptionId ?? profile.subscriptionId ?? '',
    };
    if (!(await this.pipeline.confirm(this.destinations, call, (allowedHosts) => callApiQuestion(plan, context, allowedHosts)))) {
      return [declinedResult(plan)];
    }
    throwIfCancelled(cancellation);
    const acquired = await this.token(profile, this.parts.choice.subjectOf(profile), secrets);
    if (typeof acquired === 'string') {
      return [acquired];
    }
    throwIfCancelled(cancellation);
    const { response, retried } = await this.pipeline.sendAndLog(call, acquired.accessToken, http, {
      throwIfCancelled: () => throwIfCancelled(cancellation),
      onRenewed: (token) => secrets.push(token),
    });
    return [callApiResult({ plan, profile, subscriptionId: call.subscriptionId, response, retried })];
  }

  private async tokenStatus(): Promise<string[]> {
    const profile = this.parts.settings.activeProfile();
    if (!profile) {
      return [USER_ACTION.noProfile];
    }
    const { tokens } = this.parts;
    const [appToken, userToken] = await Promise.all([tokens.usableAppToken(profile), tokens.cachedUserToken(profile)]);
    const environment: Environment = this.parts.settings.environment(profile);
    const status = tokenStatusResult({ profile, environment, appToken, userToken, profileCount: this.parts.settings.profiles().length, now: Date.now() });
    if (!appToken && !(await tokens.hasSecret(profile))) {
      return [status, USER_ACTION.noSecret(profile.name)];
    }
    return [status];
  }

  private async listSubscriptions(secrets: CallSecrets, http: HttpOptions, cancellation: vscode.CancellationToken): Promise<string[]> {
    const profile = this.parts.settings.activeProfile();
    if (!profile) {
      return [USER_ACTION.noProfile];
    }
    const { subscriptionsUrl } = this.parts.settings.environment(profile);
    if (!subscriptionsUrl) {
      return [USER_ACTION.noSubscriptionsUrl(profile.name)];
    }
    const acquired = await this.token(profile, 'app', secrets);
    if (typeof acquired === 'string') {
      return [acquired];
    }
    throwIfCancelled(cancellation);
    try {
      return [subscriptionsResult(await listSubscriptions(subscriptionsUrl, acquired.accessToken, http), subscriptionsUrl, profile)];
    } catch (error) {
      if (!(error instanceof SubscriptionsError && error.status === 401)) {
        throw error;
      }
      // The token was refused (expired early, revoked): renewed once, as call_api does.
      const renewed = await this.parts.tokens.renewAppToken(profile);
      secrets.push(renewed.accessToken);
      throwIfCancelled(cancellation);
      return [subscriptionsResult(await listSubscriptions(subscriptionsUrl, renewed.accessToken, http), subscriptionsUrl, profile)];
    }
  }

  private explainError(input: unknown): string[] {
    const checked = checkExplainErrorInput(input);
    return [checked.ok ? explainErrorResult(checked.value) : checked.problem];
  }

  private async decodeToken(input: unknown, secrets: CallSecrets, http: HttpOptions): Promise<string[]> {
    const checked = checkDecodeTokenInput(input);
    if (!checked.ok) {
      return [checked.problem];
    }
    const token = checked.value;
    // Neither the token nor its signature is echoed back.
    secrets.push(token, ...token.split('.').slice(2));
    const profile = this.parts.settings.activeProfile();
    const issuer = profile ? this.parts.settings.environment(profile).issuer : PRODUCTION_ISSUER;
    const issuerSource = profile ? `the issuer of the active profile "${profile.name}"` : 'Fortellis production (there is no profile)';
    try {
      const inspection = await inspectToken(token, { issuer, audience: 'api_providers' }, http);
      return [decodeTokenResult(inspection, issuer, issuerSource)];
    } catch (error) {
      return [messageOf(error)];
    }
  }

  /**
   * The profile's token of `subject` (call_api: the one Choose Token… picked; list_subscriptions: the app's), the cached
   * one, else requested with the stored secret or refreshed; else what the user must do. Never a prompt.
   */
  private async token(profile: Profile, subject: TokenSubject, secrets: CallSecrets): Promise<IssuedToken | string> {
    if (subject === 'user' && !(await this.parts.tokens.cachedUserToken(profile))) {
      return USER_ACTION.notSignedIn(profile.name);
    }
    try {
      const token = await tokenOf(this.parts.tokens, profile, subject);
      secrets.push(token.accessToken);
      return token;
    } catch (error) {
      return error instanceof MissingSecretError ? USER_ACTION.noSecret(profile.name) : USER_ACTION.tokenFailed(profile.name, messageOf(error));
    }
  }
}

function throwIfCancelled(cancellation: vscode.CancellationToken): void {
  if (cancellation.isCancellationRequested) {
    throw new vscode.CancellationError();
  }
}
