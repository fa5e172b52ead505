import * as vscode from 'vscode';
import type { AcquireToken } from './apiRequests/acquireToken';
import type { CallApi } from './apiRequests/callApi';
import type { InsertRequestSnippet } from './apiRequests/insertRequestSnippet';
import { COMMANDS, type TokenUseCommand } from './commandIds';
import type { InspectToken } from './inspectToken';
import type { TokenFiles } from './tokenExport/tokenFiles';

/** Registers the commands that put a token to use: snippets, Call API, Inspect Token, token files. */
export function registerTokenUseCommands(parts: {
  acquire: AcquireToken;
  insertRequestSnippet: InsertRequestSnippet;
  callApi: CallApi;
  inspectToken: InspectToken;
  tokenFiles: TokenFiles;
}): vscode.Disposable[] {
  const writeTokenToFile = async (): Promise<void> => {
    if (await parts.acquire(writeTokenToFile)) {
      await parts.tokenFiles.writeTokenToFile();
    }
  };
  const handlers: Record<TokenUseCommand, () => Promise<void>> = {
    insertRequestSnippet: () => parts.insertRequestSnippet.run(),
    callApi: () => parts.callApi.run(),
    inspectToken: () => parts.inspectToken.run(),
    writeTokenToFile,
    stopWritingTokenFiles: () => parts.tokenFiles.stopWritingTokenFiles(),
  };
  // Handlers return nothing: executeCommand would hand a token to any extension that asked.
  return Object.entries(handlers).map(([name, handler]) =>
    vscode.commands.registerCommand(COMMANDS[name as TokenUseCommand], async () => {
      await handler();
    }),
  );
}
