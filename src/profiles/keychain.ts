import type * as vscode from 'vscode';

/** API secrets in VS Code's SecretStorage (the OS keychain on desktop). Nothing else holds them. */
export class Keychain {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  getApiSecret(key: string): Thenable<string | undefined> {
    return this.secrets.get(key);
  }

  setApiSecret(key: string, secret: string): Thenable<void> {
    return this.secrets.store(key, secret);
  }

  deleteApiSecret(key: string): Thenable<void> {
    return this.secrets.delete(key);
  }
}
