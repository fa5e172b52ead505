import type { SecretStore } from '../../../src/core/tokens/tokenLifecycle';

/** An in-memory SecretStore shared by several lifecycles, as SecretStorage is shared by several windows. */
export class MemoryStore implements SecretStore {
  readonly entries = new Map<string, string>();
  private listeners: Array<(key: string) => void> = [];

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
    this.listeners.forEach((listener) => listener(key));
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
    this.listeners.forEach((listener) => listener(key));
  }

  /** Like SecretStorage.onDidChange: fires in every "window" for a change made in any of them. */
  onDidChange(listener: (key: string) => void): void {
    this.listeners.push(listener);
  }
}
