import * as vscode from 'vscode';
import { jwtClaims } from '../../core/tokens/jwt';
import type { Profile } from '../../core/profiles/profiles';
import type { Clock } from '../../core/tokens/clock';
import { isUsable } from '../../core/tokens/token';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import type { IssuedToken } from '../../core/tokens/token';
import type { Settings } from '../../platform/settings/settings';

/**
 * "Fortellis" in VS Code's Accounts menu, and `vscode.authentication.getSession('fortellis', …)` for other
 * extensions: one session per profile whose user signed in with the browser. Sessions follow the token cache, which
 * follows SecretStorage, so every window sees the same ones.
 */
export class FortellisAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private known = new Map<string, vscode.AuthenticationSession>();

  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenLifecycle,
    /** A browser sign-in (the code flow) for the profile: the user token, or undefined when cancelled. */
    private readonly signIn: (profile: Profile) => Promise<IssuedToken | undefined>,
    private readonly clock: Clock,
  ) {}

  /** The signed-in users' sessions, as another extension asks for them: an expired token is refreshed first when it can be, else left out. */
  getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    return this.sessions(scopes, true);
  }

  /**
   * `refresh`: only when asked for a session. Following a token change (in any window) it is not: every window would
   * send the same refresh token at once. A session whose token expired but can be refreshed stays listed.
   */
  private async sessions(scopes: readonly string[] | undefined, refresh: boolean): Promise<vscode.AuthenticationSession[]> {
    const sessions: vscode.AuthenticationSession[] = [];
    for (const profile of this.settings.profiles()) {
      const token = await this.usableUserToken(profile, refresh);
      if (token && (scopes ?? []).every((scope) => sessionScopes(token).includes(scope))) {
        sessions.push(toSession(profile, token));
      }
    }
    return sessions;
  }

  /** Signs the active profile's user in with the browser. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const profile = this.settings.activeProfile();
    if (!profile) {
      throw new Error('No Fortellis profile: run "Get Fortellis Token" to add one, then sign in.');
    }
    const token = await this.signIn(profile);
    if (!token) {
      throw new vscode.CancellationError();
    }
    const session = toSession(profile, token);
    const missing = scopes.filter((scope) => !session.scopes.includes(scope));
    if (missing.length > 0) {
      throw new Error(`The Fortellis sign-in did not grant ${missing.join(', ')}: set "fortellis.signIn.scopes".`);
    }
    await this.sessionsMayHaveChanged();
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    const profile = this.settings.profiles().find((candidate) => sessionIdOf(candidate) === sessionId);
    if (profile) {
      await this.tokens.forgetUser(profile);
      await this.sessionsMayHaveChanged();
    }
  }

  /** Tokens changed (a sign-in, a refresh, a sign-out, another window): tell VS Code what changed. */
  async sessionsMayHaveChanged(): Promise<void> {
    const current = new Map((await this.sessions(undefined, false)).map((session) => [session.id, session]));
    const added = [...current.values()].filter((session) => !this.known.has(session.id));
    const removed = [...this.known.values()].filter((session) => !current.has(session.id));
    const changed = [...current.values()].filter((session) => {
      const before = this.known.get(session.id);
      return before !== undefined && before.accessToken !== session.accessToken;
    });
    this.known = current;
    if (added.length + removed.length + changed.length > 0) {
      this.changed.fire({ added, removed, changed });
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async usableUserToken(profile: Profile, refresh: boolean): Promise<IssuedToken | undefined> {
    const token = await this.tokens.cachedUserToken(profile);
    if (token === undefined || isUsable(token, this.clock.now())) {
      return token;
    }
    if (!token.refreshToken) {
      return undefined;
    }
    return refresh ? this.tokens.userToken(profile).catch(() => undefined) : token;
  }
}

function sessionIdOf(profile: Profile): string {
  return `fortellis:${profile.name}`;
}

function sessionScopes(token: IssuedToken): string[] {
  return token.scope?.split(' ').filter(Boolean) ?? [];
}

function toSession(profile: Profile, token: IssuedToken): vscode.AuthenticationSession {
  const claims = jwtClaims(token.idToken ?? token.accessToken);
  const subject = typeof claims?.sub === 'string' ? claims.sub : profile.name;
  const name = claims?.preferred_username ?? claims?.email ?? subject;
  return {
    id: sessionIdOf(profile),
    accessToken: token.accessToken,
    account: { id: `${profile.name}/${subject}`, label: `${String(name)} (${profile.name})` },
    scopes: sessionScopes(token),
  };
}
