/**
 * How every fast-check property in the unit layer is seeded and how long it searches, in one place.
 *
 * - Under CI=true every property runs with one fixed seed, so a CI run is reproducible and cannot fail by chance.
 * - Elsewhere each run draws a random seed, so local runs keep searching new cases.
 * - FUZZ_SEED=<n> replays a run (a failure prints the command); FUZZ_RUNS=<n> runs every property n times, for a
 *   longer local search.
 *
 * `fuzzSeedHooks.ts` applies these to fast-check before any test and prints the replay command when a property fails.
 */

/** The seed CI uses for every property. Changing it is a change of what CI tests: say why in the commit. */
export const CI_SEED = 20_261_207;

export interface FuzzSettings {
  readonly seed: number;
  /** Where the seed came from, for the line printed at the start of a run. */
  readonly source: 'FUZZ_SEED' | 'CI' | 'random';
  /** FUZZ_RUNS, when set: every property's number of runs. */
  readonly runs: number | undefined;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env, random: () => number = Math.random): FuzzSettings {
  const runs = positiveInteger(env.FUZZ_RUNS, 'FUZZ_RUNS');
  const seed = integer(env.FUZZ_SEED, 'FUZZ_SEED');
  if (seed !== undefined) {
    return { seed, source: 'FUZZ_SEED', runs };
  }
  if (env.CI === 'true') {
    return { seed: CI_SEED, source: 'CI', runs };
  }
  return { seed: Math.floor(random() * 2 ** 31), source: 'random', runs };
}

/** A property's number of runs: its own default, or FUZZ_RUNS when set. */
export function fuzzRuns(defaultRuns: number): number {
  return fuzzSettings().runs ?? defaultRuns;
}

/** The one command that replays a failed property with the run's seed. */
export function replayCommand(seed: number, testTitle: string): string {
  const grep = testTitle.replace(/["\\$`]/g, '\\$&');
  return `FUZZ_SEED=${seed} npm run test:unit -- --grep "${grep}"`;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new Error(`${name} must be a whole number, not "${value}".`);
  }
  return parsed;
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  const parsed = integer(value, name);
  if (parsed !== undefined && parsed < 1) {
    throw new Error(`${name} must be 1 or more, not "${value}".`);
  }
  return parsed;
}
