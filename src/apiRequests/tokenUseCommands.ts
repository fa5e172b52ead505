import type * as vscode from 'vscode';
import type { TokenUseCommand } from '../commandIds';
import { registerCommands } from '../registerCommands';
import type { TokenFiles } from '../tokenExport/tokenFileWriter';
import type { TokenUse, TokenUseParts } from './apiRequestFeatures';

/**
 * Registers the commands that put a token to use. Snippets, Call API and Inspect Token load their bundle on first
 * use; the token files are part of the main one (they follow every renewal).
 */
export function registerTokenUseCommands(parts: TokenUseParts, tokenFiles: TokenFiles): vscode.Disposable[] {
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
  return [...registerCommands(handlers), { dispose: () => loaded?.dispose() }];
}
