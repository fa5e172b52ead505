/**
 * Command ids, context keys and the settings section: the names package.json contributes.
 * A unit test checks that package.json and this file agree.
 */
export const COMMANDS = {
  getToken: 'fortellis.getToken',
  copyToken: 'fortellis.copyToken',
  renewToken: 'fortellis.renewToken',
  tokenActions: 'fortellis.tokenActions',
  addProfile: 'fortellis.addProfile',
  editProfile: 'fortellis.editProfile',
  switchProfile: 'fortellis.switchProfile',
  signOut: 'fortellis.signOut',
  removeProfile: 'fortellis.removeProfile',
  showLog: 'fortellis.showLog',
} as const;

export const CONTEXT_KEYS = {
  hasProfile: 'fortellis.hasProfile',
  hasSeveralProfiles: 'fortellis.hasSeveralProfiles',
  hasToken: 'fortellis.hasToken',
} as const;

export const SETTINGS_SECTION = 'fortellis';
