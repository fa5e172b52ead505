import * as vscode from 'vscode';
import { COMMANDS, type CommandName } from './commandIds';
import type { FailureFunnel } from './failureFunnel';

/** A command's handler; `args` are what executeCommand passed (none from the palette). */
export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * Registers each command under its id from the one table (commandIds.ts). `handlers` loads the handlers on the first
 * command, so a feature's code costs activation nothing. Every handler runs through the failure funnel, so no command
 * throws at the user, and Retry runs the same command again. The commands return nothing, whatever the handler
 * returns: executeCommand would hand a token to any extension that asked.
 */
export function registerCommands<K extends CommandName>(
  names: readonly K[],
  handlers: () => Promise<Record<K, CommandHandler>>,
  funnel: FailureFunnel,
  packageJson: unknown,
): vscode.Disposable[] {
  const titles = commandTitles(packageJson);
  return names.map((name) => {
    const run = async (...args: unknown[]): Promise<void> =>
      funnel.run(
        titles.get(COMMANDS[name]) ?? COMMANDS[name],
        async () => (await handlers())[name](...args),
        () => run(...args),
      );
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
