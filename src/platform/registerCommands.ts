import * as vscode from 'vscode';
import { messageOf } from '../core/text/errorMessage';
import { COMMANDS, type CommandName } from './commandIds';
import type { FailureFunnel } from './failureFunnel';
import type { Log } from './log';

/** A command's handler; `args` are what executeCommand passed (none from the palette). */
export type CommandHandler = (...args: unknown[]) => unknown;

/** What the first command loads: every handler, and the failure funnel they run through. */
export interface LoadedCommands<K extends CommandName> {
  readonly handlers: Record<K, CommandHandler>;
  readonly funnel: FailureFunnel;
}

/**
 * Registers each command under its id from the one table (commandIds.ts). `load` brings the handlers and the failure
 * funnel on the first command, so neither costs activation anything. Every handler runs through the funnel, so no
 * command throws at the user, and Retry runs the same command again. The commands return nothing, whatever the
 * handler returns: executeCommand would hand a token to any extension that asked.
 */
export function registerCommands<K extends CommandName>(
  names: readonly K[],
  load: () => Promise<LoadedCommands<K>>,
  packageJson: unknown,
  log: Log,
): vscode.Disposable[] {
  const titles = commandTitles(packageJson);
  return names.map((name) => {
    const run = async (...args: unknown[]): Promise<void> => {
      let loaded: LoadedCommands<K>;
      try {
        loaded = await load();
      } catch (error) {
        log.error(`Loading the commands failed: ${messageOf(error)}`);
        void log.showError(`Fortellis: the commands could not be loaded (${messageOf(error)}). Reload the window to try again.`);
        return;
      }
      await loaded.funnel.run(
        titles.get(COMMANDS[name]) ?? COMMANDS[name],
        () => loaded.handlers[name](...args),
        () => run(...args),
      );
    };
    return vscode.commands.registerCommand(COMMANDS[name], run);
  });
}

/** Each contributed command's title as the palette shows it, without a trailing "…": "Call API". */
function commandTitles(packageJson: unknown): Map<string, string> {
  const commands = (packageJson as { contributes?: { commands?: Array<{ command?: unknown; title?: unknown }> } }).contributes?.commands ?? [];
  return new Map(
    commands.flatMap(({ command, title }) => (typeof command === 'string' && typeof title === 'string' ? [[command, title.replace(/…$/, '')] as const] : [])),
  );
}
