/**
 * Registers the language model tools package.json declares, as thin wrappers: the implementation (agentTools.ts) is
 * in the lazily loaded bundle and is required on the first call, so activation does not grow. The setting
 * "fortellis.agentTools.enabled" removes them (package.json's `when` hides the declarations; this unregisters).
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../platform/commandIds';
import { AGENT_TOOL_NAMES, AGENT_TOOLS_ENABLED_SETTING, type AgentToolName } from '../../core/agentTools/agentToolNames';
import type { AgentTools } from './agentTools';

/** `load` builds the implementation, on the first call. */
export function registerAgentTools(load: () => AgentTools): vscode.Disposable {
  let loaded: AgentTools | undefined;
  const tools = (): AgentTools => (loaded ??= load());
  const wrapper = (name: AgentToolName): vscode.LanguageModelTool<unknown> => ({
    prepareInvocation: (options) => tools().prepare(name, options.input),
    invoke: (options, token) => tools().invoke(name, options.input, token),
  });
  let registered: vscode.Disposable[] = [];
  const sync = (): void => {
    const enabled = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(AGENT_TOOLS_ENABLED_SETTING, true) !== false;
    if (enabled && registered.length === 0) {
      registered = AGENT_TOOL_NAMES.map((name) => vscode.lm.registerTool(name, wrapper(name)));
    } else if (!enabled && registered.length > 0) {
      registered.forEach((registration) => registration.dispose());
      registered = [];
    }
  };
  sync();
  const watcher = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(`${SETTINGS_SECTION}.${AGENT_TOOLS_ENABLED_SETTING}`)) {
      sync();
    }
  });
  return {
    dispose: () => {
      watcher.dispose();
      registered.forEach((registration) => registration.dispose());
      registered = [];
    },
  };
}
