/**
 * What a profile without a subscriptions URL (a Custom one where it is unset) is told, by the Subscription-Id picker and
 * the agent tool alike: no token is sent to a listing nobody configured. Its own module: the agent tools' wording is in
 * the activation bundle, and subscriptions.ts brings node-fetch with it.
 */
export const NO_SUBSCRIPTIONS_URL = {
  title: 'No subscriptions URL in this profile',
  action: 'Set "subscriptionsUrl" in the profile to list the app\'s subscriptions',
} as const;
