import * as vscode from 'vscode';
import { ENVIRONMENT_LABELS, type EnvironmentKind, INTERNAL_ISSUERS, issuerProblem, PRODUCTION_ISSUER } from '../core/profiles/environments';
import { apiKeyProblem, apiSecretProblem, type Profile, profileNameProblem } from '../core/profiles/profiles';

export interface ProfileInput {
  readonly profile: Profile;
  /** undefined when editing and the user kept the stored secret. */
  readonly apiSecret: string | undefined;
}

interface EnvironmentChoice extends vscode.QuickPickItem {
  readonly environment: EnvironmentKind;
  readonly issuer?: string;
}

const STEPS = 5;

/**
 * Asks for a profile step by step: environment, name, API key, API secret, default Subscription-Id.
 * Returns undefined when the user cancels at any step; nothing is saved here.
 */
export async function askForProfile(options: {
  readonly existing: readonly Profile[];
  readonly sandboxIssuer: string;
  /** Values to start from: the profile being edited, or the answers of an attempt that failed. */
  readonly initial?: Profile;
  /** Editing `initial`: its name may stay. */
  readonly editing: boolean;
  /**
   * Whether an empty secret may keep the stored one for the profile as answered so far. Only when the issuer and the
   * API key stay the same: a stored secret is never sent to another server or client than the one it was entered for.
   */
  readonly canKeepSecret?: (draft: Profile) => boolean;
}): Promise<ProfileInput | undefined> {
  const { existing, initial } = options;
  const editing = options.editing ? initial : undefined;
  const title = editing ? `Edit Fortellis Profile "${editing.name}"` : 'Add Fortellis Profile';
  const step = (n: number) => `${title} (${n}/${STEPS})`;

  const environment = await pickEnvironment(step(1), options.sandboxIssuer, initial);
  if (!environment) {
    return undefined;
  }
  const name = await vscode.window.showInputBox({
    title: step(2),
    prompt: 'A name for this profile, shown in the status bar.',
    value: initial?.name ?? uniqueName(environment.environment, existing),
    ignoreFocusOut: true,
    validateInput: (value) =>
      profileNameProblem(
        value,
        existing.filter((profile) => profile.name !== editing?.name),
      ),
  });
  if (name === undefined) {
    return undefined;
  }
  const apiKey = await vscode.window.showInputBox({
    title: step(3),
    prompt: "The app's API key (its OAuth client id), from the app's page on Fortellis.",
    placeHolder: 'API key',
    value: initial?.apiKey,
    ignoreFocusOut: true,
    validateInput: apiKeyProblem,
  });
  if (apiKey === undefined) {
    return undefined;
  }
  const draft: Profile = { name: name.trim(), environment: environment.environment, apiKey: apiKey.trim(), issuer: environment.issuer };
  const apiSecret = await askForSecret(step(4), apiKey.trim(), editing !== undefined && (options.canKeepSecret?.(draft) ?? false));
  if (apiSecret === undefined) {
    return undefined;
  }
  const subscriptionId = await vscode.window.showInputBox({
    title: step(5),
    prompt: 'Default Subscription-Id for API calls (optional: press Enter to skip). "test" gives sample data on many APIs.',
    placeHolder: 'Subscription-Id (optional)',
    value: initial?.subscriptionId,
    ignoreFocusOut: true,
  });
  if (subscriptionId === undefined) {
    return undefined;
  }
  return {
    profile: {
      name: name.trim(),
      environment: environment.environment,
      apiKey: apiKey.trim(),
      subscriptionId: subscriptionId.trim() || undefined,
      issuer: environment.issuer,
      apiBaseUrl: environment.environment === 'custom' ? initial?.apiBaseUrl : undefined,
      useTestNamespace: initial?.useTestNamespace,
    },
    apiSecret: apiSecret === '' ? undefined : apiSecret,
  };
}

/**
 * The masked secret prompt. When a secret is already stored, an empty answer keeps it (returns '').
 * Returns undefined when cancelled.
 */
export function askForSecret(title: string, apiKey: string, canKeepStored: boolean): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: canKeepStored
      ? "The app's API secret. Leave empty to keep the stored one. It is kept in VS Code's secret storage, never in settings."
      : "The app's API secret. It is kept in VS Code's secret storage, never in settings or files.",
    placeHolder: 'API secret',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (canKeepStored && value === '' ? undefined : apiSecretProblem(value, apiKey)),
  });
}

async function pickEnvironment(title: string, sandboxIssuer: string, initial: Profile | undefined): Promise<EnvironmentChoice | undefined> {
  const choices: EnvironmentChoice[] = [
    { environment: 'sandbox', label: ENVIRONMENT_LABELS.sandbox, description: 'no Fortellis account needed', detail: sandboxIssuer },
    { environment: 'production', label: ENVIRONMENT_LABELS.production, detail: PRODUCTION_ISSUER },
    ...INTERNAL_ISSUERS.map(({ name, issuer }) => ({
      environment: 'custom' as const,
      label: `Fortellis ${name}`,
      description: 'Fortellis-internal',
      detail: issuer,
      issuer,
    })),
    { environment: 'custom', label: `${ENVIRONMENT_LABELS.custom}…`, description: 'any other authorization server' },
  ];
  const picked = await vscode.window.showQuickPick(choices, {
    title,
    placeHolder: initial
      ? `Which Fortellis environment is the app registered in? (was: ${initial.issuer ?? ENVIRONMENT_LABELS[initial.environment]})`
      : 'Which Fortellis environment is the app registered in?',
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
  if (!picked || picked.environment !== 'custom' || picked.issuer) {
    return picked;
  }
  const issuer = await vscode.window.showInputBox({
    title,
    prompt: 'The issuer URL of the authorization server (without /v1/token).',
    placeHolder: 'https://identity.example.com/oauth2/aus…',
    value: initial?.issuer,
    ignoreFocusOut: true,
    validateInput: issuerProblem,
  });
  return issuer === undefined ? undefined : { ...picked, issuer: issuer.trim() };
}

function uniqueName(base: string, existing: readonly Profile[]): string {
  let name = base;
  for (let n = 2; existing.some((profile) => profile.name === name); n++) {
    name = `${base}-${n}`;
  }
  return name;
}
