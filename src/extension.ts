import * as vscode from 'vscode';
import { Redactor } from './core/text/redaction';
import { systemClock } from './core/tokens/clock';
import { TokenLifecycle } from './core/tokens/tokenLifecycle';
import { ActiveStateView, type TokenStatus } from './features/tokens/activeStateView';
import { TokenStatusBar } from './features/tokens/tokenStatusBar';
import { SETTINGS_SECTION } from './platform/commandIds';
import { Log } from './platform/log';
import { Settings } from './platform/settings/settings';
import { TokenChoice } from './platform/tokenChoice';

/**
 * How long the rest of the wiring waits for the first countdown at most: a SecretStorage that never answers (a locked
 * keyring) must not keep the commands away for good.
 */
const FIRST_COUNTDOWN_WAIT_MS = 1000;

export interface FortellisAuthApi {
  /** The active profile and its tokens' expiry, as the status bar shows them. Never a token. */
  status(): TokenStatus;
}

/**
 * Wires the parts. Activation builds only what the status bar and a cached token need, and shows the first countdown;
 * then dist/afterFirstCountdown.js wires the rest (commands, sign-in, accounts, agent tools, hooks, terminals), and
 * activation resolves. The commands' own code, the token requests and the spec engine load on first use.
 */
export async function activate(context: vscode.ExtensionContext): Promise<FortellisAuthApi> {
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
  const tokenChoice = new TokenChoice(context.globalState);
  const followActiveProfile = () => tokens.setActiveProfile(settings.activeProfile()).catch(log.failure('Following the active profile'));
  const showState = () => {
    const state = tokens.activeState;
    view.show(state, settings.profiles().length, state.profile ? tokenChoice.subjectOf(state.profile) : 'app');
  };
  context.subscriptions.push(
    tokens,
    statusBars.app,
    statusBars.user,
    tokenChoice,
    tokens.onDidChangeActiveState(showState),
    tokenChoice.onDidChange(showState),
    context.secrets.onDidChange((event) => void tokens.storeChanged(event.key).catch(log.failure('Reading a change from another window'))),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.tokenRenewal`)) {
        void tokens.settingsChanged().catch(log.failure('Applying the renewal settings'));
      }
      if (event.affectsConfiguration(SETTINGS_SECTION)) {
        void followActiveProfile();
      }
    }),
  );
  // A window closed while activation waits: nothing more is wired into the disposed context.
  let deactivated = false;
  context.subscriptions.push({ dispose: () => (deactivated = true) });
  let waited: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([followActiveProfile(), new Promise((resolve) => (waited = setTimeout(resolve, FIRST_COUNTDOWN_WAIT_MS)))]);
  clearTimeout(waited);
  const { wireAfterFirstCountdown } = await import('./bundles/afterFirstCountdown.js');
  if (!deactivated) {
    context.subscriptions.push(...wireAfterFirstCountdown({ context, log, settings, tokens, tokenChoice, redactor }));
  }
  return { status: () => view.status };
}
