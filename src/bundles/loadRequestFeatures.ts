/**
 * The bundle of snippets, Call API, Inspect Token and the agent tools' implementation (dist/apiRequestFeatures.js, with
 * jose), required on first use: what activation never loads.
 */
export function loadApiRequestFeatures(): typeof import('./requestFeatures') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./requestFeatures.js') as typeof import('./requestFeatures');
}
