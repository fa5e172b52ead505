/** Commands of the code lenses (not in the palette: each needs an operation of an open spec). */
export const SPEC_COMMANDS = {
  call: 'fortellis.spec.call',
  insertSnippet: 'fortellis.spec.insertSnippet',
  openHttp: 'fortellis.spec.openHttp',
  copyAsCurl: 'fortellis.spec.copyAsCurl',
} as const;

/** Of the responses of calls made from a spec. */
export const RESPONSE_SCHEME = 'fortellis-response';
