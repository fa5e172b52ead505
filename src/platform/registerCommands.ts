import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';

/**
 * Registers handlers under their command ids. The commands return nothing, whatever the handler returns:
 * executeCommand would hand a token to any extension that asked.
 */
export function registerCommands<K extends keyof typeof COMMANDS>(handlers: Record<K, () => unknown>): vscode.Disposable[] {
  return (Object.keys(handlers) as K[]).map((name) =>
    vscode.commands.registerCommand(COMMANDS[name], async () => {
      await handlers[name]();
    }),
  );
}
