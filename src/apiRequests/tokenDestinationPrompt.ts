import * as vscode from 'vscode';
import { confirmHostMessage, hostToConfirm, trustedApiBase } from '../core/apiRequests/tokenDestinations';
import type { Environment } from '../core/profiles/environments';
import type { Profile } from '../core/profiles/profiles';

/**
 * A host outside the environment's API base gets the token only if the user says so, in a modal naming it: once per
 * host and session (per owner: Call API and snippets share one, calls from API specs have their own).
 */
export class TokenDestinationPrompt {
  /** Hosts outside the API base the user allowed this session (asked once each). */
  private readonly allowedHosts = new Set<string>();

  async mayReceiveToken(url: string, profile: Profile, environment: Environment): Promise<boolean> {
    const base = trustedApiBase(profile, environment);
    const host = hostToConfirm(url, base, this.allowedHosts);
    if (!host) {
      return true;
    }
    const send = `Send to ${host}`;
    const choice = await vscode.window.showWarningMessage(confirmHostMessage(host, profile.name, base), { modal: true }, send);
    if (choice !== send) {
      return false;
    }
    this.allowedHosts.add(host);
    return true;
  }
}
