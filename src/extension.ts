import * as vscode from 'vscode';
import { AUTHENTICATION_PROVIDER_ID, SETTINGS_SECTION } from './commandIds';
import { FortellisCommands } from './commands';
import { Redactor } from './core/text/redaction';
import { systemClock } from './core/tokens/clock';
import { TokenLifecycle } from './core/tokens/tokenLifecycle';
import { Log } from './log';
import { Settings } from './settings';
import { registerTokenUseCommands } from './apiRequests/tokenUseCommands';
import { registerAgentTools } from './agentTools/registerAgentTools';
import { FortellisAuthenticationProvider } from './signIn/authenticationProvider';
import { BrowserSignIn } from './signIn/browserSignIn';
import { LoopbackReceiver, PasteReceiver, UriHandlerReceiver } from './signIn/callbackReceivers';
import { UriEventHandler } from './signIn/uriEventHandler';
import { TerminalEnvironment } from './tokenExport/terminalEnvironment';
import { TokenFiles } from './tokenExport/tokenFileWriter';
import { ActiveStateView, type TokenStatus } from './tokens/activeStateView';
import { TokenStatusBar } from './tokens/tokenStatusBar';

export interface FortellisAuthApi {
  /** The active profile and its tokens' expiry, as the status bar shows them. Never a token. */
  status(): TokenStatus;
}

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
  const loopbackRedirectUri = () => settings.signIn().loopbackRedirectUri;
  const receivers = {
    uriHandler: new UriHandlerReceiver(uriHandler, context.extension.id),
    loopback: new LoopbackReceiver(loopbackRedirectUri),
    paste: new PasteReceiver(loopbackRedirectUri),
  };
  const browserSignIn: BrowserSignIn = new BrowserSignIn(receivers, settings, tokens, redactor, log, (profile) => commands.enterSecret(profile));
  const authentication = new FortellisAuthenticationProvider(settings, tokens, browserSignIn, systemClock);
  const commands: FortellisCommands = new FortellisCommands(settings, tokens, browserSignIn, receivers, log);
  const terminalEnvironment = new TerminalEnvironment(context.environmentVariableCollection, settings, tokens);
  const tokenFiles = new TokenFiles(context.workspaceState, settings, tokens, log);
  const followActiveProfile = () => void tokens.setActiveProfile(settings.activeProfile());

  context.subscriptions.push(
    tokens,
    statusBars.app,
    statusBars.user,
    uriHandler,
    authentication,
    vscode.window.registerUriHandler(uriHandler),
    vscode.authentication.registerAuthenticationProvider(AUTHENTICATION_PROVIDER_ID, 'Fortellis', authentication),
    ...commands.register(),
    ...registerTokenUseCommands({ acquire: commands.acquire.bind(commands), tokens, settings, redactor, log, state: context.globalState }, tokenFiles),
    registerAgentTools({ tokens, settings, redactor, log }),
    tokens.onDidChangeActiveState((state) => {
      view.show(state, settings.profiles().length);
      void terminalEnvironment.update();
      void tokenFiles.update();
    }),
    tokens.onDidChangeTokens(() => void authentication.sessionsMayHaveChanged()),
    context.secrets.onDidChange((event) => void tokens.storeChanged(event.key)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.tokenRenewal`)) {
        void tokens.settingsChanged();
      }
      if (event.affectsConfiguration(SETTINGS_SECTION)) {
        followActiveProfile();
      }
    }),
  );
  followActiveProfile();
  return { status: () => view.status };
}
