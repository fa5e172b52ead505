import { runTestFolder } from '../index';

/** A window for the language model tools: listed, invoked against the sandbox, their results scanned for secrets. */
export function run(): Promise<void> {
  return runTestFolder(__dirname);
}
