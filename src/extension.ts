import * as vscode from 'vscode';
import { messageOf } from './core/text/errorMessage';
import { Redactor } from './core/text/redaction';
import { systemClock } from './core/tokens/clock';
import { type ActiveState, TokenLifecycle } from './core/tokens/tokenLifecycle';
import type { Features } from './bundles/commandFeatures';
import { loadApiRequestFeatures } from './bundles/loadRequestFeatures';
import { FortellisAuthenticationProvider } from './features/accounts/authenticationProvider';
import { registerAgentTools } from './features/agentTools/registerAgentTools';
import { UriEventHandler } from './features/signIn/uriEventHandler';
import { registerSpecHook } from './features/specs/specHook';
import { TerminalEnvironment } from './features/tokenExport/terminalEnvironment';
import { registerHttpFileHook } from './features/tokenExport/httpFileHook';
import { hasTokenFiles } from './features/tokenExport/tokenFileList';
import { ActiveStateView, type TokenStatus } from './features/tokens/activeStateView';
import { TokenStatusBar } from './features/tokens/tokenStatusBar';
import { AUTHENTICATION_PROVIDER_ID, COMMANDS, type CommandName, SETTINGS_SECTION } from './platform/commandIds';
import { Log } from './platform/log';
import { registerCommands } from './platform/registerCommands';
import { Settings } from './platform/settings/settings';
import { TokenChoice } from './platform/tokenChoice';

export interface FortellisAuthApi {
  /** The active profile and its tokens' expiry, as the status bar shows them. Never a token. */
  status(): TokenStatus;
}

/**
 * Wires the parts. Activation builds only what the status bar and a cached token need; the commands, sign-in and
 * token files (dist/features.js) and the token requests with node-fetch (dist/tokenRequests.js) load on first use.
 */
export function activate(context: vscode.ExtensionContext): FortellisAuthApi {
  const redactor = new Redactor();
  const log = new Log(vscode.window.createOutputChannel('Fortellis Auth', { log: true }), redactor);
  const settings = new Settings((problem) => log.warn(problem));
  const tokens = new TokenLifecycle({
    store: context.secrets,
    clock: systemClock,
    settings,
    log,
    redactor,
    grants: () => import('./core/tokens/tokenRequests.js'),
  });
  const statusBars = { app: new TokenStatusBar(systemClock, 'app'), user: new TokenStatusBar(systemClock, 'user') };
  const view = new ActiveStateView(statusBars, systemClock);
  const uriHandler = new UriEventHandler(log);
  const tokenChoice = new TokenChoice(context.globalState);
  let loaded: Promise<Features> | undefined;
  const features = (): Promise<Features> =>
    (loaded ??= import('./bundles/commandFeatures.js').then(({ createFeatures }) => {
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
  const terminalEnvironment = new TerminalEnvironment(context.environmentVariableCollection, settings, tokens, context.globalStorageUri.fsPath);
  /** A disposable that arrives later: disposed as soon as it arrives if the extension was deactivated meanwhile. */
  let deactivated = false;
  const deferred = (arriving: Promise<vscode.Disposable>): vscode.Disposable => {
    const disposable = arriving.then(
      (arrived) => (deactivated ? (arrived.dispose(), undefined) : arrived),
      (error: unknown) => void log.error(`Loading a part of the extension failed: ${messageOf(error)}`),
    );
    return { dispose: () => ((deactivated = true), void disposable.then((arrived) => arrived?.dispose())) };
  };
  const logFailure = (what: string) => (error: unknown) => log.error(`${what} failed: ${messageOf(error)}`);
  const followActiveProfile = () => tokens.setActiveProfile(settings.activeProfile()).catch(logFailure('Following the active profile'));
  const tokensChanged = (state: ActiveState) => {
    view.show(state, settings.profiles().length, state.profile ? tokenChoice.subjectOf(state.profile) : 'app');
    void terminalEnvironment.update().catch(logFailure('Updating the terminals'));
    if (hasTokenFiles(context.workspaceState)) {
      features()
        .then(({ tokenFiles }) => tokenFiles.update())
        .catch(logFailure('Updating the token files'));
    }
  };

  context.subscriptions.push(
    tokens,
    statusBars.app,
    statusBars.user,
    uriHandler,
    authentication,
    vscode.window.registerUriHandler(uriHandler),
    vscode.authentication.registerAuthenticationProvider(AUTHENTICATION_PROVIDER_ID, 'Fortellis', authentication),
    ...registerCommands(Object.keys(COMMANDS) as CommandName[], features, context.extension.packageJSON, log),
    // The agent tools' implementation shares the bundle of Call API (dist/apiRequestFeatures.js), required on first use.
    registerAgentTools(() => loadApiRequestFeatures().createAgentTools({ tokens, settings, redactor, log })),
    // OpenAPI specs: their bundle loads when the first one opens, the commands' bundle when a code lens is clicked.
    registerSpecHook(async () => (await features()).tokenUseParts, log),
    // A .http file that reads the token from the .env beside it: the offer to keep it there loads with the commands.
    registerHttpFileHook((document) =>
      features()
        .then(({ dotenvOffer }) => dotenvOffer.consider(document))
        .catch(logFailure('Offering to keep the token in .env')),
    ),
    tokens.onDidChangeActiveState(tokensChanged),
    tokenChoice,
    tokenChoice.onDidChange(() => tokensChanged(tokens.activeState)),
    // Restricted Mode: terminals and token files wait for trust, and follow as soon as it is granted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => tokensChanged(tokens.activeState)),
    // The workspace's ignored fortellis.* values are logged once activation is done (dist/workspaceAudit.js).
    deferred(
      import('./platform/settings/workspaceSettingsAudit.js').then(({ auditWorkspaceSettings }) => auditWorkspaceSettings((problem) => log.warn(problem))),
    ),
    tokens.onDidChangeTokens(() => void authentication.sessionsMayHaveChanged().catch(logFailure('Updating the sessions'))),
    context.secrets.onDidChange((event) => void tokens.storeChanged(event.key).catch(logFailure('Reading a change from another window'))),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.tokenRenewal`)) {
        void tokens.settingsChanged().catch(logFailure('Applying the renewal settings'));
      }
      if (event.affectsConfiguration(SETTINGS_SECTION)) {
        void followActiveProfile();
      }
    }),
  );
  void followActiveProfile();
  return { status: () => view.status };
}
