import { runTestFolder } from '../index';

/** The fourth window: the token put to use (snippets, Call API, Inspect Token, terminals, token files). */
export function run(): Promise<void> {
  return runTestFolder(__dirname);
}
