import * as vscode from 'vscode';
import { messageOf } from '../core/text/errorMessage';
import type { Redactor } from '../core/text/redaction';

/**
 * The extension's words: the "Fortellis Auth" log channel and the messages shown to the user. Every line and every
 * message passes through the redactor first, so a secret or token echoed by a server never reaches either.
 */
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

  /** A handler that logs "<what> failed: <why>", for a promise's catch. */
  failure(what: string): (error: unknown) => void {
    return (error) => this.error(`${what} failed: ${messageOf(error)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  showError<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showErrorMessage(this.redactor.redact(message), ...actions);
  }

  showWarning<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showWarningMessage(this.redactor.redact(message), ...actions);
  }

  showInformation<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
    return vscode.window.showInformationMessage(this.redactor.redact(message), ...actions);
  }

  /** A notification with a progress bar while `task` runs. */
  withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: this.redactor.redact(title) }, task);
  }

  /** A modal question with one action besides Cancel; true when the user picked it. */
  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(this.redactor.redact(message), { modal: true, detail: this.redactor.redact(detail) }, action)) === action;
  }
}
