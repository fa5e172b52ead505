/**
 * What activation wires once the first countdown shows (dist/afterFirstCountdown.js): the commands, the sign-in URI
 * handler, the Fortellis accounts, the agent tools, the spec and .http hooks, the .http files' Send lenses, the terminals and token files, and the log
 * of the workspace's ignored settings. None of it is needed to show the countdown, and none of it is lost by waiting:
 * VS Code holds a command, a sign-in callback, a session request or a tool call until activate()'s promise resolves,
 * which is once this has run.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../core/text/redaction';
import { systemClock } from '../core/tokens/clock';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';
import { FortellisAuthenticationProvider } from '../features/accounts/authenticationProvider';
import { registerAgentTools } from '../features/agentTools/registerAgentTools';
import { UriEventHandler } from '../features/signIn/uriEventHandler';
import { registerSpecHook } from '../features/specs/specHook';
import { registerHttpFileLenses } from '../features/httpFiles/httpFileLenses';
import { registerHttpFileHook } from '../features/tokenExport/httpFileHook';
import { TerminalEnvironment } from '../features/tokenExport/terminalEnvironment';
import { hasTokenFiles } from '../features/tokenExport/tokenFileList';
import { AUTHENTICATION_PROVIDER_ID, COMMANDS, type CommandName } from '../platform/commandIds';
import type { Log } from '../platform/log';
import { registerCommands } from '../platform/registerCommands';
import { auditWorkspaceSettings } from '../platform/settings/workspaceSettingsAudit';
import type { Settings } from '../platform/settings/settings';
import type { TokenChoice } from '../platform/tokenChoice';
import type { Features } from './commandFeatures';
import { loadApiRequestFeatures } from './loadRequestFeatures';

/** What activation built for the countdown, and shares with the rest. */
export interface CountdownParts {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly settings: Settings;
  readonly tokens: TokenLifecycle;
  readonly tokenChoice: TokenChoice;
  readonly redactor: Redactor;
}

/** Registers the rest of the extension; what it returns goes to context.subscriptions. */
export function wireAfterFirstCountdown(parts: CountdownParts): vscode.Disposable[] {
  const { context, log, settings, tokens, tokenChoice, redactor } = parts;
  const uriHandler = new UriEventHandler(log);
  let loaded: Promise<Features> | undefined;
  const features = (): Promise<Features> =>
    (loaded ??= import('./commandFeatures.js').then(({ createFeatures }) => {
      const created = createFeatures({ context, settings, tokens, tokenChoice, redactor, log, uriHandler });
      context.subscriptions.push(created);
      return created;
    }));
  const authentication = new FortellisAuthenticationProvider(
    settings,
    tokens,
    async (profile) => (await features()).browserSignIn.signIn(profile, 'code'),
    systemClock,
  );
  const terminalEnvironment = new TerminalEnvironment(context.environmentVariableCollection, settings, tokens, tokenChoice, context.globalStorageUri.fsPath);
  /** Terminals and token files follow the active profile's token (and wait for trust in Restricted Mode). */
  const exportTokens = () => {
    void terminalEnvironment.update().catch(log.failure('Updating the terminals'));
    if (hasTokenFiles(context.workspaceState)) {
      features()
        .then(({ tokenFiles }) => tokenFiles.update())
        .catch(log.failure('Updating the token files'));
    }
  };
  exportTokens();
  return [
    uriHandler,
    authentication,
    vscode.window.registerUriHandler(uriHandler),
    vscode.authentication.registerAuthenticationProvider(AUTHENTICATION_PROVIDER_ID, 'Fortellis', authentication),
    ...registerCommands(Object.keys(COMMANDS) as CommandName[], features, context.extension.packageJSON, log),
    // The agent tools' implementation shares the bundle of Call API (dist/apiRequestFeatures.js), required on first use.
    registerAgentTools(() => loadApiRequestFeatures().createAgentTools({ tokens, choice: tokenChoice, settings, redactor, log })),
    // OpenAPI specs: their bundle loads when the first one opens, the commands' bundle when a code lens is clicked.
    registerSpecHook(async () => (await features()).tokenUseParts, log),
    // .http files: a "Send with Fortellis token" lens on each request, and their JSON bodies checked as the user types.
    registerHttpFileLenses(),
    // A .http file that reads the token from the .env beside it: the offer to keep it there loads with the commands.
    registerHttpFileHook((document) =>
      features()
        .then(({ dotenvOffer }) => dotenvOffer.consider(document))
        .catch(log.failure('Offering to keep the token in .env')),
    ),
    tokens.onDidChangeActiveState(exportTokens),
    tokenChoice.onDidChange(exportTokens),
    // Restricted Mode: terminals and token files wait for trust, and follow as soon as it is granted.
    vscode.workspace.onDidGrantWorkspaceTrust(exportTokens),
    tokens.onDidChangeTokens(() => void authentication.sessionsMayHaveChanged().catch(log.failure('Updating the sessions'))),
    auditWorkspaceSettings((problem) => log.warn(problem)),
  ];
}
