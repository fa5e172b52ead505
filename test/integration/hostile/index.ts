import { runTestFolder } from '../index';

/** The hostile-workspace windows (trusted, then Restricted Mode): a repository that attacks the extension's user. */
export function run(): Promise<void> {
  return runTestFolder(__dirname);
}
