import * as vscode from 'vscode';
import type { AcquireToken } from '../../tokenAcquirer/tokenAcquirer';
import { PRODUCTION_ISSUER } from '../../core/profiles/environments';
import type { Redactor } from '../../core/text/redaction';
import { formatTokenInspection, inspectToken } from '../../core/tokens/tokenChecks';
import type { Log } from '../../platform/log';
import type { ReadOnlyDocuments } from '../../platform/readOnlyDocuments';
import type { Settings } from '../../platform/settings/settings';
import type { TokenLifecycle } from '../../core/tokens/tokenLifecycle';
import { messageOf } from '../../core/text/errorMessage';

const TITLE = 'Inspect Token';
/** Fortellis access tokens are issued for the API gateway. */
const API_PROVIDERS_AUDIENCE = 'api_providers';

type TokenChoice = vscode.QuickPickItem & { token: () => Promise<string | undefined> };

/**
 * "Fortellis: Inspect Token": decodes the current token or a pasted JWT, and checks its signature against the
 * issuer's keys, its issuer, audience and expiry — what an API provider checks on the tokens Fortellis sends it.
 */
export class InspectToken {
  constructor(
    private readonly acquire: AcquireToken,
    private readonly tokens: TokenLifecycle,
    private readonly documents: ReadOnlyDocuments,
    private readonly settings: Settings,
    private readonly redactor: Redactor,
    private readonly log: Log,
  ) {}

  async run(): Promise<void> {
    const profile = this.settings.activeProfile();
    const choices: TokenChoice[] = [];
    if (profile) {
      choices.push({ label: `$(key) The app token of "${profile.name}"`, token: async () => (await this.acquire())?.[1].accessToken });
      const user = await this.tokens.cachedUserToken(profile);
      if (user) {
        choices.push({ label: `$(account) The signed-in user's token of "${profile.name}"`, token: async () => user.accessToken });
      }
    }
    choices.push({ label: '$(clippy) Paste a token…', description: 'e.g. one Fortellis sent your API', token: () => this.askForToken() });
    const picked = await vscode.window.showQuickPick(choices, { title: TITLE, placeHolder: 'Which token?' });
    const token = await picked?.token();
    if (!token) {
      return;
    }
    const issuer = profile ? this.settings.environment(profile).issuer : PRODUCTION_ISSUER;
    try {
      const inspection = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: "Fortellis: checking the token against the issuer's keys…" },
        () => inspectToken(token, { issuer, audience: API_PROVIDERS_AUDIENCE }, this.settings.http()),
      );
      const failed = inspection.checks.filter((check) => !check.ok).map((check) => check.name);
      this.log.info(`Inspected a token against ${issuer}: ${failed.length ? `failed ${failed.join(', ')}` : 'all checks passed'}.`);
      await this.documents.show('Fortellis token.md', formatTokenInspection(inspection), 'markdown');
    } catch (error) {
      const message = messageOf(error);
      void this.log.showError(`Fortellis ${TITLE}: ${message}`);
    }
  }

  private async askForToken(): Promise<string | undefined> {
    const pasted = await vscode.window.showInputBox({
      title: TITLE,
      prompt: 'Paste a Fortellis access token (a JWT; "Bearer " is fine). It is not stored.',
      password: true,
      ignoreFocusOut: true,
    });
    const token = pasted?.trim();
    // Whatever the user pasted is redacted wherever it could appear from now on.
    this.redactor.add(token, token?.replace(/^Bearer\s+/i, ''));
    return token || undefined;
  }
}
