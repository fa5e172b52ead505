/**
 * Copy Token's clean-up: after fortellis.copyToken.clearAfterSeconds the clipboard is cleared, but only if it still
 * holds the token that was copied (read back and compared), so what the user copied since is never lost. A clipboard
 * history may keep its own copy: that is the clipboard manager's, out of reach.
 */
import type { Clock, Timer } from './clock';
import { messageOf } from '../text/errorMessage';

/** The part of VS Code's clipboard this needs. */
export interface Clipboard {
  readText(): PromiseLike<string>;
  writeText(text: string): PromiseLike<void>;
}

export class ClipboardClearing {
  private pending: Timer | undefined;

  constructor(
    private readonly clipboard: Clipboard,
    private readonly clock: Clock,
    private readonly onProblem: (message: string) => void,
  ) {}

  /** `token` was just put on the clipboard: clear it in `seconds` (0: never). A later copy replaces the wait. */
  copied(token: string, seconds: number): void {
    this.dispose();
    if (seconds > 0) {
      this.pending = this.clock.setTimeout(() => {
        this.pending = undefined;
        void this.clearIf(token);
      }, seconds * 1000);
    }
  }

  dispose(): void {
    this.pending?.cancel();
    this.pending = undefined;
  }

  private async clearIf(token: string): Promise<void> {
    try {
      if ((await this.clipboard.readText()) === token) {
        await this.clipboard.writeText('');
      }
    } catch (error) {
      this.onProblem(`Could not clear the copied token from the clipboard (${messageOf(error)}).`);
    }
  }
}

/** What Copy Token's message adds: when the clipboard is cleared, or nothing when the token is kept. */
export function clipboardClearingNote(seconds: number): string {
  return seconds > 0 ? `; the clipboard is cleared in ${seconds} s` : '';
}
