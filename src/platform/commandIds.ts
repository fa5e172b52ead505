/**
 * Command ids, context keys and the settings section: the names package.json contributes.
 * A unit test checks that package.json and this file agree.
 */
export const COMMANDS = {
  getToken: 'fortellis.getToken',
  copyToken: 'fortellis.copyToken',
  renewToken: 'fortellis.renewToken',
  chooseToken: 'fortellis.chooseToken',
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
  newRequest: 'fortellis.newRequest',
  sendHttpRequest: 'fortellis.sendHttpRequest',
  copyAsCurl: 'fortellis.copyAsCurl',
  inspectToken: 'fortellis.inspectToken',
  showRequestHistory: 'fortellis.showRequestHistory',
  clearRequestHistory: 'fortellis.clearRequestHistory',
  importPostmanCollection: 'fortellis.importPostmanCollection',
  writeTokenToFile: 'fortellis.writeTokenToFile',
  stopWritingTokenFiles: 'fortellis.stopWritingTokenFiles',
} as const;

export type CommandName = keyof typeof COMMANDS;

/** Commands of the code lenses on API specs (not in the palette: each needs an operation of an open spec). */
export const SPEC_COMMANDS = {
  call: 'fortellis.spec.call',
  insertSnippet: 'fortellis.spec.insertSnippet',
  openHttp: 'fortellis.spec.openHttp',
} as const;

/** The language id of .http and .rest files, REST Client's and httpyac's (package.json contributes it too). */
export const HTTP_LANGUAGE_ID = 'http';

/** The URI scheme of the responses of calls made from a spec. */
export const RESPONSE_SCHEME = 'fortellis-response';
/** The URI scheme of the other read-only views: API responses and token inspections. */
export const READ_ONLY_SCHEME = 'fortellis-view';

export const CONTEXT_KEYS = {
  hasProfile: 'fortellis.hasProfile',
  hasSeveralProfiles: 'fortellis.hasSeveralProfiles',
  hasToken: 'fortellis.hasToken',
} as const;

export const SETTINGS_SECTION = 'fortellis';

/** vscode.authentication provider id: other extensions ask for Fortellis sessions with it. */
export const AUTHENTICATION_PROVIDER_ID = 'fortellis';
