/**
 * Everything a command needs and the status bar does not: the command handlers, browser sign-in with its callback
 * receivers and loopback server, the profile wizard, token files, and (through their own bundle) snippets, Call API
 * and Inspect Token. Built into dist/features.js and loaded on the first command, sign-in or token file, so that
 * activation loads only what the status bar and a cached token need.
 */
import type * as vscode from 'vscode';
import type { COMMANDS } from '../platform/commandIds';
import { FortellisCommands } from '../features/tokens/tokenCommands';
import type { Redactor } from '../core/text/redaction';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings/settings';
import type { TokenUseParts } from './requestFeatures';
import { tokenUseCommands } from './tokenUseCommands';
import { BrowserSignIn } from '../features/signIn/browserSignIn';
import { LoopbackReceiver, PasteReceiver, UriHandlerReceiver } from '../features/signIn/callbackReceivers';
import type { UriEventHandler } from '../features/signIn/uriEventHandler';
import { TokenFiles } from '../features/tokenExport/tokenFileWriter';

export interface FeatureParts {
  readonly context: vscode.ExtensionContext;
  readonly settings: Settings;
  readonly tokens: TokenLifecycle;
  readonly redactor: Redactor;
  readonly log: Log;
  readonly uriHandler: UriEventHandler;
}

export interface Features extends vscode.Disposable {
  readonly handlers: Record<keyof typeof COMMANDS, () => unknown>;
  readonly browserSignIn: BrowserSignIn;
  readonly tokenFiles: TokenFiles;
  /** What the commands that put a token to use need: for the code lenses of API specs (src/specs). */
  readonly tokenUseParts: TokenUseParts;
}

export function createFeatures({ context, settings, tokens, redactor, log, uriHandler }: FeatureParts): Features {
  const loopbackRedirectUri = () => settings.signIn().loopbackRedirectUri;
  const receivers = {
    uriHandler: new UriHandlerReceiver(uriHandler, context.extension.id),
    loopback: new LoopbackReceiver(loopbackRedirectUri),
    paste: new PasteReceiver(loopbackRedirectUri),
  };
  const browserSignIn: BrowserSignIn = new BrowserSignIn(receivers, settings, tokens, redactor, log, (profile) => commands.enterSecret(profile));
  const commands: FortellisCommands = new FortellisCommands(settings, tokens, browserSignIn, receivers, log);
  const tokenFiles = new TokenFiles(context.workspaceState, settings, tokens, log);
  const tokenUseParts: TokenUseParts = { acquire: commands.acquire.bind(commands), tokens, settings, redactor, log, state: context.globalState };
  const tokenUse = tokenUseCommands(tokenUseParts, tokenFiles);
  return {
    handlers: { ...commands.handlers(), ...tokenUse.handlers },
    browserSignIn,
    tokenFiles,
    tokenUseParts,
    dispose: () => {
      tokenUse.disposable.dispose();
      commands.dispose();
    },
  };
}
