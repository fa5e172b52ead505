import * as vscode from 'vscode';
import { type TokenStatus, ActiveProfileSync } from './activeProfileSync';
import { SETTINGS_SECTION } from './commandIds';
import { FortellisCommands } from './commands';
import { systemClock } from './core/clock';
import { Redactor } from './core/redaction';
import { Keychain } from './keychain';
import { Log } from './log';
import { Settings } from './settings';
import { TokenStatusBar } from './statusBar';
import { TokenService } from './tokenService';

export interface FortellisAuthApi {
  /** The active profile and its token's expiry, as the status bar shows them. Never the token itself. */
  status(): TokenStatus;
}

export function activate(context: vscode.ExtensionContext): FortellisAuthApi {
  const redactor = new Redactor();
  const log = new Log(vscode.window.createOutputChannel('Fortellis Auth', { log: true }), redactor);
  const settings = new Settings((problem) => log.warn(problem));
  const tokens = new TokenService(settings, new Keychain(context.secrets), context.secrets, systemClock, redactor, log);
  const statusBar = new TokenStatusBar(systemClock);
  const sync = new ActiveProfileSync(settings, tokens, statusBar, systemClock);
  const refresh = () => void sync.refresh();

  context.subscriptions.push(
    tokens,
    statusBar,
    ...new FortellisCommands(settings, tokens, log).register(),
    tokens.onDidChange(refresh),
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
