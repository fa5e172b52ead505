import * as vscode from 'vscode';
import type { Environment } from '../../core/profiles/environments';
import type { Profile } from '../../core/profiles/profiles';
import type { HttpOptions } from '../../core/http/limitedFetch';
import { listSubscriptions } from '../../core/apiRequests/subscriptions';
import { NO_SUBSCRIPTIONS_URL } from '../../core/apiRequests/subscriptionsWording';
import type { Log } from '../log';
import { messageOf } from '../../core/text/errorMessage';

/** "test" gives sample responses on many Fortellis APIs. */
const SAMPLE_DATA_SUBSCRIPTION = 'test';
const ENTER_LABEL = '$(edit) Enter a Subscription-Id…';

type SubscriptionItem = vscode.QuickPickItem & { subscriptionId?: string };

/**
 * Picks the Subscription-Id header: the profile's default first, then the app's subscriptions from the
 * subscriptions endpoint, "test", and manual entry (the fallback when the list cannot be had).
 */
export async function pickSubscriptionId(
  title: string,
  profile: Profile,
  environment: Environment,
  accessToken: string,
  http: HttpOptions,
  log: Log,
): Promise<string | undefined> {
  const items = subscriptionItems(profile, environment, accessToken, http, log);
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Subscription-Id header (a subscription of this app to the API)',
    matchOnDescription: true,
  });
  if (!picked) {
    return undefined;
  }
  if (picked.subscriptionId !== undefined) {
    return picked.subscriptionId;
  }
  const entered = await vscode.window.showInputBox({
    title,
    prompt: 'Subscription-Id header',
    value: profile.subscriptionId ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Fortellis APIs need a Subscription-Id ("test" gives sample data on many APIs).'),
  });
  return entered?.trim();
}

async function subscriptionItems(profile: Profile, environment: Environment, accessToken: string, http: HttpOptions, log: Log): Promise<SubscriptionItem[]> {
  const items: SubscriptionItem[] = [];
  const offered = new Set<string>();
  const offer = (item: SubscriptionItem & { subscriptionId: string }) => {
    if (!offered.has(item.subscriptionId)) {
      offered.add(item.subscriptionId);
      items.push(item);
    }
  };
  if (profile.subscriptionId) {
    offer({ label: profile.subscriptionId, description: `default of "${profile.name}"`, subscriptionId: profile.subscriptionId });
  }
  if (!environment.subscriptionsUrl) {
    items.push({ label: `$(info) ${NO_SUBSCRIPTIONS_URL.title}`, detail: `${NO_SUBSCRIPTIONS_URL.action}, or enter one.` });
  } else {
    try {
      const subscriptions = await listSubscriptions(environment.subscriptionsUrl, accessToken, http);
      items.push({ label: 'Subscriptions of this app', kind: vscode.QuickPickItemKind.Separator });
      for (const subscription of subscriptions) {
        const inactive = subscription.status !== undefined && subscription.status.toLowerCase() !== 'active';
        offer({
          label: `${inactive ? '$(warning) ' : ''}${subscription.subscriptionId}`,
          description: [subscription.orgName, subscription.status].filter(Boolean).join(' · '),
          detail: inactive ? 'Not active: calls with it fail with API-SUBSCRIPTION-INACTIVE.' : undefined,
          subscriptionId: subscription.subscriptionId,
        });
      }
    } catch (error) {
      const message = messageOf(error);
      log.warn(`Listing the subscriptions of "${profile.name}" failed: ${message}`);
      items.push({ label: "$(error) Could not list this app's subscriptions", detail: `${message} Enter one instead.` });
    }
  }
  offer({ label: SAMPLE_DATA_SUBSCRIPTION, description: 'sample data on many APIs', subscriptionId: SAMPLE_DATA_SUBSCRIPTION });
  items.push({ label: ENTER_LABEL });
  return items;
}
