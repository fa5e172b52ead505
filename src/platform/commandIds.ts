/**
 * Command ids, context keys and the settings section: the names package.json contributes.
 * A unit test checks that package.json and this file agree.
 */
export const COMMANDS = {
  getToken: 'fortellis.getToken',
  copyToken: 'fortellis.copyToken',
  renewToken: 'fortellis.renewToken',
  tokenActions: 'fortellis.tokenActions',
  signIn: 'fortellis.signIn',
  signInImplicit: 'fortellis.signInImplicit',
  showCallbackUrl: 'fortellis.showCallbackUrl',
  addProfile: 'fortellis.addProfile',
  editProfile: 'fortellis.editProfile',
  switchProfile: 'fortellis.switchProfile',
  signOut: 'fortellis.signOut',
  removeProfile: 'fortellis.removeProfile',
  showLog: 'fortellis.showLog',
  insertRequestSnippet: 'fortellis.insertRequestSnippet',
  callApi: 'fortellis.callApi',
  inspectToken: 'fortellis.inspectToken',
  writeTokenToFile: 'fortellis.writeTokenToFile',
  stopWritingTokenFiles: 'fortellis.stopWritingTokenFiles',
} as const;

export type CommandName = keyof typeof COMMANDS;

export const CONTEXT_KEYS = {
  hasProfile: 'fortellis.hasProfile',
  hasSeveralProfiles: 'fortellis.hasSeveralProfiles',
  hasToken: 'fortellis.hasToken',
} as const;

export const SETTINGS_SECTION = 'fortellis';

/** vscode.authentication provider id: other extensions ask for Fortellis sessions with it. */
export const AUTHENTICATION_PROVIDER_ID = 'fortellis';
