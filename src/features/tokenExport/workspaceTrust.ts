import * as vscode from 'vscode';
import type { Log } from '../../platform/log';

const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * What writes into the workspace or runs there (token files, git, the terminal environment) waits until the user
 * trusts the workspace. true when trusted; otherwise says so (and offers to manage trust) and returns false.
 */
export async function whenTrusted(feature: string, log: Log): Promise<boolean> {
  if (vscode.workspace.isTrusted) {
    return true;
  }
  const message = `Fortellis: ${feature} wait until you trust this workspace (it is in Restricted Mode). The countdown, Get, Copy and Renew Token and sign-in work meanwhile.`;
  log.info(message);
  const choice = await vscode.window.showInformationMessage(message, MANAGE_TRUST);
  if (choice === MANAGE_TRUST) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
  return false;
}
