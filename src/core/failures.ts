/**
 * The one set of rules for how a failure reaches the user: its words (src/core/text/errorMessage.ts), the profile it concerns
 * (ProfileFailure), and the action that fixes it (fixFor). The VS Code side shows them through one funnel
 * (src/platform/failureFunnel.ts); nothing else formats an error for the user.
 */
import { messageOf } from './text/errorMessage';
import { type TokenErrorKind, TokenRequestError } from './tokens/tokenErrors';

/** Failures that mean the credentials or the issuer are wrong: nothing entered with them is saved. */
const REJECTED_INPUT: ReadonlySet<TokenErrorKind> = new Set([
  'invalid-credentials',
  'invalid-scope',
  'insecure-endpoint',
  'redirect',
  'not-json',
  'malformed-response',
]);

/** Whether the server refused what the user entered (so it is not saved), rather than failing to answer. */
export function isRejectedInput(error: unknown): error is TokenRequestError {
  return error instanceof TokenRequestError && REJECTED_INPUT.has(error.kind);
}

/** The action offered beside a profile's failure. */
export type FailureFix = 'Update Credentials' | 'Sign In with Browser' | 'Edit Profile' | 'Retry';

export function fixFor(error: unknown): FailureFix {
  const kind = error instanceof TokenRequestError ? error.kind : undefined;
  return kind === 'invalid-credentials'
    ? 'Update Credentials'
    : // A refresh token that expired or was revoked: only a new sign-in helps, retrying cannot.
      kind === 'invalid-grant'
      ? 'Sign In with Browser'
      : isRejectedInput(error)
        ? 'Edit Profile'
        : 'Retry';
}

/** A failure while getting or renewing a profile's token: shown as "Fortellis (<profile>): …" with the fix for `cause`. */
export class ProfileFailure extends Error {
  constructor(
    readonly profileName: string,
    readonly cause: unknown,
  ) {
    super(`Fortellis (${profileName}): ${messageOf(cause)}`);
    this.name = 'ProfileFailure';
  }

  get fix(): FailureFix {
    return fixFor(this.cause);
  }
}

/**
 * A step of a command that failed: shown as "Fortellis <label>: <cause>", logged with what was being done
 * ("Call API: GET https://… failed: <cause>"), with Show Log.
 */
export class StepFailure extends Error {
  constructor(
    readonly label: string,
    readonly doing: string,
    readonly cause: unknown,
  ) {
    super(`Fortellis ${label}: ${messageOf(cause)}`);
    this.name = 'StepFailure';
  }

  get logLine(): string {
    return `${this.label}: ${this.doing} failed: ${messageOf(this.cause)}`;
  }
}
