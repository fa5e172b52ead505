import * as vscode from 'vscode';
import type { Profile } from '../core/profiles/profiles';
import { type IssuedToken, isUsable } from '../core/tokens/token';
import type { TokenLifecycle } from '../core/tokens/tokenLifecycle';
import { subjectIn, type TokenSubject } from '../core/tokens/tokenSubject';

const KEY = 'fortellis.tokenSubjects';

/**
 * Which token each profile's requests use (Choose Token…), in VS Code's global state: per user, in every window. The app's token
 * unless the user chose the signed-in user's.
 */
export class TokenChoice implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  subjectOf(profile: Profile): TokenSubject {
    return subjectIn(this.state.get<unknown>(KEY), profile);
  }

  /**
   * The chosen token of the profile if it is usable now, with no request: what terminals and token files hold. The
   * user's token renews with its refresh token, and they follow it.
   */
  async usableToken(tokens: TokenLifecycle, profile: Profile): Promise<IssuedToken | undefined> {
    if (this.subjectOf(profile) === 'app') {
      return tokens.usableAppToken(profile);
    }
    const user = await tokens.cachedUserToken(profile);
    return isUsable(user, Date.now()) ? user : undefined;
  }

  async choose(profile: Profile, subject: TokenSubject): Promise<void> {
    const stored = this.state.get<unknown>(KEY);
    const others = Object.fromEntries(
      Object.entries(typeof stored === 'object' && stored !== null ? stored : {}).filter(([name, value]) => name !== profile.name && value === 'user'),
    );
    await this.state.update(KEY, subject === 'user' ? { ...others, [profile.name]: 'user' } : others);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
