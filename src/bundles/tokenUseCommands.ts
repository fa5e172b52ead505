import type * as vscode from 'vscode';
import type { TokenUseCommand } from '../platform/commandIds';
import type { TokenFiles } from '../features/tokenExport/tokenFileWriter';
import type { TokenUse, TokenUseParts } from './requestFeatures';
import { loadApiRequestFeatures } from './loadRequestFeatures';

/**
 * The handlers of the commands that put a token to use. Snippets, Call API and Inspect Token load their bundle
 * (dist/apiRequestFeatures.js, with jose) on first use.
 */
export function tokenUseCommands(
  parts: TokenUseParts,
  tokenFiles: TokenFiles,
): { handlers: Record<TokenUseCommand, () => Promise<void>>; disposable: vscode.Disposable } {
  let loaded: TokenUse | undefined;
  const tokenUse = (): TokenUse => (loaded ??= new (loadApiRequestFeatures().TokenUse)(parts));
  const writeTokenToFile = async (): Promise<void> => {
    if (await parts.acquire(writeTokenToFile)) {
      await tokenFiles.writeTokenToFile();
    }
  };
  const handlers: Record<TokenUseCommand, () => Promise<void>> = {
    insertRequestSnippet: () => tokenUse().insertRequestSnippet.run(),
    callApi: () => tokenUse().callApi.run(),
    inspectToken: () => tokenUse().inspectToken.run(),
    writeTokenToFile,
    stopWritingTokenFiles: () => tokenFiles.stopWritingTokenFiles(),
  };
  return { handlers, disposable: { dispose: () => loaded?.dispose() } };
}
