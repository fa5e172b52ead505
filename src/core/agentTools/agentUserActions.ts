import { NO_SUBSCRIPTIONS_URL } from '../apiRequests/subscriptionsWording';

/** What a tool says when there is no profile or no usable token: the user acts, the tool never prompts. */
export const USER_ACTION = {
  noProfile: 'There is no Fortellis profile in VS Code yet. Ask the user to run "Fortellis: Get Fortellis Token" (F1) to add one, then try again.',
  noSecret: (profile: string) =>
    `No API secret is stored for the Fortellis profile "${profile}" on this machine. Ask the user to run "Fortellis: Get Fortellis Token" (F1) and enter it, then try again.`,
  noSubscriptionsUrl: (profile: string) =>
    `${NO_SUBSCRIPTIONS_URL.title} ("${profile}"), so nothing was sent. ${NO_SUBSCRIPTIONS_URL.action} (setting "fortellis.profiles"): ask the user to, then try again. Until then, give fortellis_call_api a subscriptionId ("test" gives sample data on many APIs).`,
  notSignedIn: (profile: string) =>
    `The Fortellis profile "${profile}" sends the signed-in user's token (Choose Token…), and no user is signed in on this machine. Ask the user to run "Fortellis: Sign In with Browser" (F1), or to choose the app's token with "Fortellis: Choose Token…", then try again.`,
  tokenFailed: (profile: string, reason: string) =>
    `No token could be obtained for the Fortellis profile "${profile}": ${reason} Ask the user to run "Fortellis: Get Fortellis Token" (F1), then try again.`,
} as const;
