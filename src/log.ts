import type * as vscode from 'vscode';
import type { Redactor } from './core/text/redaction';

/** The "Fortellis Auth" log channel. Every line passes through the redactor first. */
export class Log {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly redactor: Redactor,
  ) {}

  info(message: string): void {
    this.channel.info(this.redactor.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redactor.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redactor.redact(message));
  }

  show(): void {
    this.channel.show(true);
  }
}
