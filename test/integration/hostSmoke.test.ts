import assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('The test host', () => {
  it('is a real VS Code extension host', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof vscode.env.uriScheme, 'string');
    assert.notEqual(vscode.env.uriScheme, '');
  });

  it('has opened one workspace folder', () => {
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
  });

  it('lets the extension use the clipboard', async () => {
    const text = `host smoke ${Date.now()}`;
    await vscode.env.clipboard.writeText(text);
    assert.equal(await vscode.env.clipboard.readText(), text);
  });
});
