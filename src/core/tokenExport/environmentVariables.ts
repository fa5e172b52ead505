/** Environment variables of integrated terminals, which generated snippets read the token from. */
export const ENVIRONMENT_VARIABLES = {
  token: 'FORTELLIS_TOKEN',
  subscriptionId: 'FORTELLIS_SUBSCRIPTION_ID',
} as const;
