/** The language model tools the extension contributes (package.json's languageModelTools; a unit test checks both agree). */
export const AGENT_TOOLS = {
  callApi: 'fortellis_call_api',
  tokenStatus: 'fortellis_token_status',
  listSubscriptions: 'fortellis_list_subscriptions',
  explainError: 'fortellis_explain_error',
  decodeToken: 'fortellis_decode_token',
} as const;

export type AgentToolKey = keyof typeof AGENT_TOOLS;
export type AgentToolName = (typeof AGENT_TOOLS)[AgentToolKey];

export const AGENT_TOOL_NAMES: readonly AgentToolName[] = Object.values(AGENT_TOOLS);

/** Under the "fortellis" section: false removes the tools. */
export const AGENT_TOOLS_ENABLED_SETTING = 'agentTools.enabled';
