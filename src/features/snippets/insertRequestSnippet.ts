import * as vscode from 'vscode';
import { systemClock } from '../../core/tokens/clock';
import { countdownLabel } from '../../core/tokens/countdown';
import { ENVIRONMENT_VARIABLES } from '../../core/tokenExport/environmentVariables';
import { renderRequestSnippet, SNIPPET_LANGUAGES, type SnippetLanguageId, snippetLanguageFor } from '../../core/snippets/renderSnippet';
import type { IssuedToken } from '../../core/tokens/token';
import type { Log } from '../../platform/log';
import type { Settings } from '../../platform/settings/settings';
import type { AcquireToken } from '../../tokenAcquirer/tokenAcquirer';
import type { RequestPrompts } from '../../platform/requests/requestPrompts';
import { pickSubscriptionId } from '../../platform/requests/subscriptionPicker';

const TITLE = 'Insert Request Snippet';

type TokenSourceItem = vscode.QuickPickItem & { literal: boolean };

/**
 * "Fortellis: Insert Request Snippet": a complete, runnable request with the Fortellis headers, in the active
 * editor's language (or one the user picks), at the cursor.
 */
export class InsertRequestSnippet {
  constructor(
    private readonly acquire: AcquireToken,
    private readonly prompts: RequestPrompts,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {}

  async run(): Promise<void> {
    const current = vscode.window.activeTextEditor;
    const covered = current && snippetLanguageFor(current.document.languageId);
    const language = covered ?? (await this.pickLanguage(current?.document.languageId));
    if (!language) {
      return;
    }
    const acquired = await this.acquire();
    if (!acquired) {
      return;
    }
    const [profile, token] = acquired;
    const environment = this.settings.environment(profile);
    const draft = await this.prompts.ask(TITLE, profile, environment);
    if (!draft) {
      return;
    }
    const subscriptionId = await pickSubscriptionId(`${TITLE} · Subscription-Id`, profile, environment, token.accessToken, this.settings.http(), this.log);
    if (subscriptionId === undefined) {
      return;
    }
    const literal = await this.pickTokenSource(token);
    if (literal === undefined) {
      return;
    }
    const text = renderRequestSnippet(language, {
      method: draft.method,
      url: draft.url,
      subscriptionId,
      body: draft.body,
      token: literal ? { from: 'literal', value: token.accessToken, expiresAt: new Date(token.expiresAt) } : { from: 'environment' },
    });
    const editor = covered && current ? current : await this.newEditor(language);
    await editor.edit((edit) => edit.replace(editor.selection, text));
    const label = SNIPPET_LANGUAGES.find((candidate) => candidate.id === language)?.label ?? language;
    this.log.info(
      `Inserted a ${label} request snippet: ${draft.method} ${draft.url} (${literal ? 'token written into it' : `token read from ${ENVIRONMENT_VARIABLES.token}`}).`,
    );
    if (literal) {
      void this.log.showWarning(
        `The snippet holds the current token: it stops working in ${countdownLabel(token.expiresAt - systemClock.now())}. Do not commit it.`,
      );
    }
  }

  private async pickLanguage(languageId: string | undefined): Promise<SnippetLanguageId | undefined> {
    const picked = await vscode.window.showQuickPick(
      SNIPPET_LANGUAGES.map((language) => ({ label: language.label, id: language.id })),
      {
        title: `${TITLE} · Language`,
        placeHolder: languageId
          ? `No snippet for "${languageId}" files: pick a language (it opens in a new editor)`
          : 'Language of the snippet (it opens in a new editor)',
      },
    );
    return picked?.id;
  }

  private async newEditor(language: SnippetLanguageId): Promise<vscode.TextEditor> {
    const languageId = SNIPPET_LANGUAGES.find((candidate) => candidate.id === language)?.languageIds[0];
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: languageId, content: '' }));
  }

  /** true: write the current token into the snippet; false: read it from FORTELLIS_TOKEN. The setting picks the first item. */
  private async pickTokenSource(token: IssuedToken): Promise<boolean | undefined> {
    const environment: TokenSourceItem = {
      label: `$(terminal) Read the token from ${ENVIRONMENT_VARIABLES.token}`,
      description: 'recommended',
      detail: `The token stays out of the file. Integrated terminals have ${ENVIRONMENT_VARIABLES.token}, kept current by Fortellis Auth.`,
      literal: false,
    };
    const written: TokenSourceItem = {
      label: '$(key) Write the current token into the snippet',
      description: `expires in ${countdownLabel(token.expiresAt - systemClock.now())}`,
      detail: 'It stops working when the token expires. Do not commit it.',
      literal: true,
    };
    const items = this.settings.snippetTokenLiterally() ? [written, environment] : [environment, written];
    const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} · Token` });
    return picked?.literal;
  }
}
