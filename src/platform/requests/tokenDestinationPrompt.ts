import * as vscode from 'vscode';
import { type DestinationQuestion, hostQuestion, trustedApiBase } from '../../core/apiRequests/tokenDestinations';
import type { Environment } from '../../core/profiles/environments';
import type { Profile } from '../../core/profiles/profiles';

/**
 * A host outside the environment's API base gets the token only if the user says so, in a modal naming it: once per
 * host and session (per owner: Call API, snippets and the agent tools share one, calls from API specs have their own).
 */
export class TokenDestinationPrompt {
  /** Hosts outside the API base the user allowed this session (asked once each). */
  private readonly allowedHosts = new Set<string>();

  mayReceiveToken(url: string, profile: Profile, environment: Environment): Promise<boolean> {
    return this.confirm((allowedHosts) => hostQuestion(url, profile.name, trustedApiBase(profile, environment), allowedHosts));
  }

  /**
   * Asks the question built from this session's allowed hosts, in the extension's own modal (whatever VS Code's
   * approval settings are); true when nothing needs asking or the user sent. A host the user sent to is allowed from then on.
   */
  async confirm(question: (allowedHosts: ReadonlySet<string>) => DestinationQuestion | undefined): Promise<boolean> {
    const asked = question(this.allowedHosts);
    if (!asked) {
      return true;
    }
    const choice = await vscode.window.showWarningMessage(asked.message, { modal: true, ...(asked.detail && { detail: asked.detail }) }, asked.button);
    if (choice !== asked.button) {
      return false;
    }
    if (asked.host) {
      this.allowedHosts.add(asked.host);
    }
    return true;
  }
}
