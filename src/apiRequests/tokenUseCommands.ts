import type * as vscode from 'vscode';
import type { TokenUseCommand } from '../commandIds';
import type { TokenFiles } from '../tokenExport/tokenFileWriter';
import type { TokenUse, TokenUseParts } from './apiRequestFeatures';

/**
 * The handlers of the commands that put a token to use. Snippets, Call API and Inspect Token load their bundle
 * (dist/apiRequestFeatures.js, with jose) on first use.
 */
export function tokenUseCommands(
  parts: TokenUseParts,
  tokenFiles: TokenFiles,
): { handlers: Record<TokenUseCommand, () => Promise<void>>; disposable: vscode.Disposable } {
  let loaded: TokenUse | undefined;
  const tokenUse = (): TokenUse => {
    if (!loaded) {
      // A separate bundle next to this one (see esbuild.mjs), required only now.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TokenUse: Features } = require('./apiRequestFeatures.js') as typeof import('./apiRequestFeatures');
      loaded = new Features(parts);
    }
    return loaded;
  };
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
