/** Environment variables of integrated terminals, which generated snippets read the token from. */
export const ENVIRONMENT_VARIABLES = {
  token: 'FORTELLIS_TOKEN',
  /** The path of a file outside the workspace that holds the token, rewritten on every renewal: see terminalTokenFile. */
  tokenFile: 'FORTELLIS_TOKEN_FILE',
  subscriptionId: 'FORTELLIS_SUBSCRIPTION_ID',
} as const;
