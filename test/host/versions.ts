/**
 * The VS Code that both test hosts run, pinned: desktop VS Code (@vscode/test-electron) and code-server, which
 * ships that VS Code and needs Node 24 (npm package node-<os>-<arch>). Changing one reinstalls the cache.
 */
export const testHostVersions = { vscode: '1.139.1', codeServer: '4.139.1', node: '24.21.0' } as const;
