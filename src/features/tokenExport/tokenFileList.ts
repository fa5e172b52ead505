import type * as vscode from 'vscode';

/** Files to keep fresh, per workspace: paths only, never tokens. */
export const TOKEN_FILES_KEY = 'fortellis.tokenFiles';

/** Whether this workspace has token files to keep fresh (checked at activation without loading the writer). */
export function hasTokenFiles(state: vscode.Memento): boolean {
  return state.get<string[]>(TOKEN_FILES_KEY, []).length > 0;
}
