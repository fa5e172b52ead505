import * as vscode from 'vscode';
import { ignoredWorkspaceSettingMessage, parseSettingsJson, sectionSettingsIn } from '../../core/settings/workspaceSettings';
import { SETTINGS_SECTION } from '../commandIds';

/**
 * Logs each fortellis.* value the open workspace's settings files try to set (all are ignored: every fortellis.*
 * setting is application- or machine-scoped), now and whenever those files or the folders change. Each value once.
 */
export function auditWorkspaceSettings(report: (message: string) => void): vscode.Disposable {
  const reported = new Set<string>();
  const audit = () => void reportWorkspaceValues(reported, report);
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
  const subscriptions = [watcher, watcher.onDidCreate(audit), watcher.onDidChange(audit), vscode.workspace.onDidChangeWorkspaceFolders(audit)];
  audit();
  return vscode.Disposable.from(...subscriptions);
}

async function reportWorkspaceValues(reported: Set<string>, log: (message: string) => void): Promise<void> {
  const sources: Array<{ uri: vscode.Uri; label: string; key?: string }> = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
    label: vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1 ? `${folder.name}/.vscode/settings.json` : '.vscode/settings.json',
  }));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') {
    sources.push({ uri: workspaceFile, label: workspaceFile.path.split('/').pop() ?? 'the workspace file', key: 'settings' });
  }
  for (const source of sources) {
    let text: string;
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(source.uri)).toString('utf8');
    } catch {
      continue;
    }
    const parsed = parseSettingsJson(text);
    const settings = source.key ? (parsed?.[source.key] as Record<string, unknown> | undefined) : parsed;
    for (const name of sectionSettingsIn(typeof settings === 'object' && settings !== null ? settings : undefined, SETTINGS_SECTION)) {
      const key = `${source.label}\n${name}`;
      if (!reported.has(key)) {
        reported.add(key);
        log(ignoredWorkspaceSettingMessage(name, source.label));
      }
    }
  }
}
