import { runTestFolder } from '../index';

/** The specs window: code lenses on the sandbox's spec, Call and its check, Copy as curl, Open as .http, diagnostics. */
export function run(): Promise<void> {
  return runTestFolder(__dirname);
}
