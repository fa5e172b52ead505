/**
 * The commands' bundle (dist/features.js), loaded on the first command, sign-in or token file: every feature's
 * command handlers, the token acquirer with the profile wizard, browser sign-in with its callback receivers and
 * loopback server, and token files. Snippets, Call API and Inspect Token load their own bundle (with jose) on their
 * first command, and Import Postman Collection loads Postman's SDK (dist/postmanImport.js). Activation loads only what the status bar and a cached token need.
 */
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Redactor } from '../core/text/redaction';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';
import { ImportPostmanCollection } from '../features/postman/importPostmanCollection';
import { ProfileCommands } from '../features/profiles/profileCommands';
import { BrowserSignIn } from '../features/signIn/browserSignIn';
import { LoopbackReceiver, PasteReceiver, UriHandlerReceiver } from '../features/signIn/callbackReceivers';
import { SignInCommands } from '../features/signIn/signInCommands';
import type { UriEventHandler } from '../features/signIn/uriEventHandler';
import { DotenvOffer } from '../features/tokenExport/dotenvOffer';
import { TokenFiles } from '../features/tokenExport/tokenFileWriter';
import { TokenCommands } from '../features/tokens/tokenCommands';
import type { CommandName } from '../platform/commandIds';
import { FailureFunnel } from '../platform/failureFunnel';
import type { Log } from '../platform/log';
import type { LoadedCommands } from '../platform/registerCommands';
import { ProfileStore } from '../platform/settings/profileStore';
import type { Settings } from '../platform/settings/settings';
import { ResponseArchive } from '../core/apiRequests/responseArchive';
import { RequestHistoryStore } from '../platform/requests/requestHistoryStore';
import { ResponseRequests } from '../platform/requests/responseRequests';
import type { TokenChoice } from '../platform/tokenChoice';
import { CredentialEntry } from '../tokenAcquirer/credentialEntry';
import { TokenAcquirer, type TokenUseParts } from '../tokenAcquirer/tokenAcquirer';
import { loadApiRequestFeatures } from './loadRequestFeatures';
import type { TokenUse } from './requestFeatures';

export interface FeatureParts {
  readonly context: vscode.ExtensionContext;
  readonly settings: Settings;
  readonly tokens: TokenLifecycle;
  readonly tokenChoice: TokenChoice;
  readonly redactor: Redactor;
  readonly log: Log;
  readonly uriHandler: UriEventHandler;
}

export interface Features extends vscode.Disposable, LoadedCommands<CommandName> {
  readonly browserSignIn: BrowserSignIn;
  readonly tokenFiles: TokenFiles;
  readonly dotenvOffer: DotenvOffer;
  /** What the features that put a token to use need: for the code lenses of API specs. */
  readonly tokenUseParts: TokenUseParts;
}

export function createFeatures({ context, settings, tokens, tokenChoice, redactor, log, uriHandler }: FeatureParts): Features {
  const funnel = new FailureFunnel(log);
  const profileStore = new ProfileStore(settings);
  const credentials = new CredentialEntry({ settings, profileStore, tokens, funnel, log });
  const acquirer = new TokenAcquirer(settings, tokens, credentials, tokenChoice, log);
  const loopbackRedirectUri = () => settings.signIn().loopbackRedirectUri;
  const receivers = {
    uriHandler: new UriHandlerReceiver(uriHandler, context.extension.id),
    loopback: new LoopbackReceiver(loopbackRedirectUri),
    paste: new PasteReceiver(loopbackRedirectUri),
  };
  const browserSignIn = new BrowserSignIn(
    receivers,
    settings,
    tokens,
    redactor,
    log,
    async (profile) => (await credentials.enterSecret(profile)) !== undefined,
  );
  const tokenCommands = new TokenCommands(settings, tokens, acquirer, tokenChoice, log);
  const tokenFiles = new TokenFiles(context.workspaceState, settings, tokens, tokenChoice, log);
  const responses = new ResponseRequests(log);
  const history = new RequestHistoryStore(context.globalState, redactor, new ResponseArchive(join(context.globalStorageUri.fsPath, 'responses')));
  const tokenUseParts: TokenUseParts = {
    acquire: () => acquirer.acquire(),
    tokens,
    choice: tokenChoice,
    settings,
    redactor,
    log,
    funnel,
    state: context.globalState,
    responses,
    history,
  };
  let tokenUse: TokenUse | undefined;
  // Snippets, Call API and Inspect Token: their bundle is required on their first command.
  const requests = () => (tokenUse ??= new (loadApiRequestFeatures().TokenUse)(tokenUseParts)).handlers();
  return {
    handlers: {
      ...tokenCommands.handlers(),
      ...new ProfileCommands(settings, profileStore, tokens, credentials, log).handlers(),
      ...new SignInCommands(settings, browserSignIn, receivers, credentials, log).handlers(),
      ...tokenFiles.handlers(acquirer),
      insertRequestSnippet: () => requests().insertRequestSnippet(),
      callApi: () => requests().callApi(),
      newRequest: () => requests().newRequest(),
      sendHttpRequest: (...args) => requests().sendHttpRequest(...args),
      inspectToken: () => requests().inspectToken(),
      showRequestHistory: () => requests().showRequestHistory(),
      clearRequestHistory: () => requests().clearRequestHistory(),
      importPostmanCollection: () => new ImportPostmanCollection(log).run(),
      copyAsCurl: (uri) => responses.copyAsCurl(uri),
    },
    funnel,
    browserSignIn,
    tokenFiles,
    dotenvOffer: new DotenvOffer(tokenFiles, acquirer, log),
    tokenUseParts,
    dispose: () => {
      tokenUse?.dispose();
      responses.dispose();
      tokenCommands.dispose();
    },
  };
}
