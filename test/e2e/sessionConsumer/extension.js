// An extension that uses the Fortellis sign-in the way any other would: through vscode.authentication.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, no build step: VS Code hands it its API through require.
const vscode = require('vscode');

/** Shows who signed in and which scopes the session has: never the token, only its length. */
function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('fortellisSessionConsumer.getSession', async () => {
      try {
        const session = await vscode.authentication.getSession('fortellis', ['openid'], { createIfNone: true });
        void vscode.window.showInformationMessage(
          `Session consumer got a Fortellis session for ${session.account.label}: scopes ${session.scopes.join(' ')}, a token of ${session.accessToken.length} characters.`,
        );
      } catch (error) {
        void vscode.window.showErrorMessage(`Session consumer got no Fortellis session: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

module.exports = { activate };
