import * as vscode from 'vscode';
import { type TokenStatus, ActiveProfileSync } from './tokens/activeProfileSync';
import { AUTHENTICATION_PROVIDER_ID, SETTINGS_SECTION } from './commandIds';
import { FortellisCommands } from './commands';
import { systemClock } from './core/tokens/clock';
import { Redactor } from './core/text/redaction';
import { Keychain } from './profiles/keychain';
import { Log } from './log';
import { Settings } from './settings';
import { FortellisAuthenticationProvider } from './signIn/authenticationProvider';
import { BrowserSignIn } from './signIn/browserSignIn';
import { LoopbackFlow, PasteFlow, UriHandlerFlow } from './signIn/callbackReceivers';
import { UriEventHandler } from './signIn/uriEventHandler';
import { TokenStatusBar } from './tokens/tokenStatusBar';
import { TerminalEnvironment } from './tokenExport/terminalEnvironment';
import { TokenFiles } from './tokenExport/tokenFileWriter';
import { TokenService } from './tokens/tokenService';
import { registerTokenUseCommands } from './apiRequests/tokenUseCommands';

export interface FortellisAuthApi {
  /** The active profile and its tokens' expiry, as the status bar shows them. Never a token. */
  status(): TokenStatus;
}

export function activate(context: vscode.ExtensionContext): FortellisAuthApi {
  const redactor = new Redactor();
  const log = new Log(vscode.window.createOutputChannel('Fortellis Auth', { log: true }), redactor);
  const settings = new Settings((problem) => log.warn(problem));
  const tokens = new TokenService(settings, new Keychain(context.secrets), context.secrets, systemClock, redactor, log);
  const statusBars = { app: new TokenStatusBar(systemClock, 'app'), user: new TokenStatusBar(systemClock, 'user') };
  const sync = new ActiveProfileSync(settings, tokens, statusBars, systemClock);
  const uriHandler = new UriEventHandler(log);
  const loopbackRedirectUri = () => settings.signIn().loopbackRedirectUri;
  const callbackFlows = {
    uriHandler: new UriHandlerFlow(uriHandler, context.extension.id),
    loopback: new LoopbackFlow(loopbackRedirectUri),
    paste: new PasteFlow(loopbackRedirectUri),
  };
  const browserSignIn = new BrowserSignIn(callbackFlows, settings, tokens, redactor, log);
  const authentication = new FortellisAuthenticationProvider(settings, tokens, browserSignIn);
  const commands = new FortellisCommands(settings, tokens, browserSignIn, callbackFlows, log);
  const terminalEnvironment = new TerminalEnvironment(context.environmentVariableCollection, settings, tokens);
  const tokenFiles = new TokenFiles(context.workspaceState, settings, tokens, log);
  const refresh = () => {
    void sync.refresh();
    void authentication.sessionsMayHaveChanged();
    void terminalEnvironment.update();
    void tokenFiles.update();
  };

  context.subscriptions.push(
    tokens,
    statusBars.app,
    statusBars.user,
    uriHandler,
    authentication,
    vscode.window.registerUriHandler(uriHandler),
    vscode.authentication.registerAuthenticationProvider(AUTHENTICATION_PROVIDER_ID, 'Fortellis', authentication),
    ...commands.register(),
    ...registerTokenUseCommands(
      { acquire: commands.acquire.bind(commands), tokens, settings, redactor, log, state: context.globalState },
      tokenFiles,
    ),
    tokens.onDidChange(refresh),
    vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    settings.watchWorkspaceValues(),
    context.secrets.onDidChange((event) => void tokens.secretChanged(event.key)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.tokenRenewal`)) {
        tokens.renewalSettingsChanged();
      }
      if (event.affectsConfiguration(SETTINGS_SECTION)) {
        refresh();
      }
    }),
  );
  refresh();
  return { status: () => sync.status };
}
