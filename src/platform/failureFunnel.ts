import * as vscode from 'vscode';
import { ProfileFailure, StepFailure } from '../core/failures';
import { messageOf } from '../core/text/errorMessage';
import { COMMANDS } from './commandIds';
import type { Log } from './log';

/**
 * The one way a failure reaches the user. Every command handler runs through `run`, so none throws at the user: a
 * profile's failure is shown with the action that fixes it (Update Credentials, Edit Profile, Sign In with Browser,
 * Retry), anything else with Show Log. Messages never wait for an answer, and nothing stored is touched.
 */
export class FailureFunnel {
  constructor(private readonly log: Log) {}

  /** Runs `handler`; whatever it throws is reported, with `retry` behind the Retry action. Never throws. */
  async run(what: string, handler: () => unknown, retry: () => unknown): Promise<void> {
    try {
      await handler();
    } catch (error) {
      this.report(error, what, retry);
    }
  }

  /** Shows a failure without waiting for the answer. `what` names the step that failed, for anything not a profile's. */
  report(error: unknown, what: string, retry: () => unknown): void {
    if (error instanceof ProfileFailure) {
      void this.log.showError(error.message, error.fix, 'Show Log').then((choice) => {
        switch (choice) {
          case 'Update Credentials':
          case 'Edit Profile':
            return vscode.commands.executeCommand(COMMANDS.editProfile, error.profileName);
          case 'Sign In with Browser':
            return vscode.commands.executeCommand(COMMANDS.signIn);
          case 'Retry':
            return retry();
          case 'Show Log':
            return this.log.show();
        }
        return undefined;
      });
      return;
    }
    const [logLine, message] =
      error instanceof StepFailure ? [error.logLine, error.message] : [`${what} failed: ${messageOf(error)}`, `Fortellis ${what}: ${messageOf(error)}`];
    this.log.error(logLine);
    void this.log.showError(message, 'Show Log').then((choice) => choice && this.log.show());
  }
}
