import { runTestFolder } from '../index';

/** The extension host calls this in the browser sign-in window: runs the *.test.js files of this folder. */
export const run = (): Promise<void> => runTestFolder(__dirname);
