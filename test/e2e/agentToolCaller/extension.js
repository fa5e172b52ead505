// Calls a Fortellis language model tool the way an agent's chat participant does: vscode.lm.invokeTool, which makes
// VS Code show the tool's confirmation first. Shows the result's first line (never the whole result).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, no build step: VS Code hands it its API through require.
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('fortellisAgentToolCaller.post', async () => {
      try {
        const result = await vscode.lm.invokeTool('fortellis_call_api', {
          input: { method: 'POST', url: '/cdk-test/sales/v1/orders', body: { vin: 'E2E-AGENT-1' }, subscriptionId: 'test' },
          toolInvocationToken: undefined,
        });
        const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('\n');
        void vscode.window.showInformationMessage(`Agent tool result: ${text.split('\n')[0]}`);
      } catch (error) {
        void vscode.window.showErrorMessage(`Agent tool call ended: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    }),
  );
}

module.exports = { activate };
