/**
 * Rows of `npm run bench:specs` for the hostile specs of issue 18 (findings 5 to 7), in Node, each at growing sizes
 * side by side: linear work grows with the size, a quadratic one by its square. The unit corpus
 * (test/unit/specs/hostileSpecCorpus.test.ts) checks what they give; these rows say what they cost.
 */
import { requestBodyText } from '../../src/core/specs/exampleBody';
import { ResponseChecker } from '../../src/core/specs/responseCheck';
import { safePattern } from '../../src/core/specs/safePattern';
import { locateOperations, parseSpec } from '../../src/core/specs/specDocument';
import { type BundledSpec, type JsonObject, specOperation } from '../../src/core/specs/specModel';
import {
  blanksInKeySpec,
  nestedUniqueItemsBody,
  nestedUniqueItemsSpec,
  POLYNOMIAL_PATTERN,
  sharedExampleSpec,
  uniqueItemsBody,
  uniqueItemsSpec,
} from '../unit/specs/hostileSpecs';

export type BenchRow = [string, string, string];

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Each run's time in ms (awaited when the action returns a promise). */
export async function timed(action: () => unknown, runs = 5): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await action();
    times.push(performance.now() - started);
  }
  return times;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/** "40,000: 3 ms · 80,000: 6 ms", the median of 3 runs at each size, after one run unmeasured (the JIT warms up). */
async function series(sizes: readonly number[], action: (size: number) => () => unknown): Promise<string> {
  const parts: string[] = [];
  for (const size of sizes) {
    const run = action(size);
    await run();
    parts.push(`${size.toLocaleString('en-US')}: ${ms(median(await timed(run, 3)))}`);
  }
  return parts.join(' · ');
}

function bundled(text: string): BundledSpec {
  const parse = parseSpec(text);
  if (!parse.ok) {
    throw new Error(`A hostile spec of the bench does not parse: ${parse.problems.map((problem) => problem.message).join('; ')}`);
  }
  return { version: parse.spec.version, document: parse.spec.document as JsonObject };
}

export async function hostileSpecRows(): Promise<BenchRow[]> {
  const blanks = [40_000, 80_000, 160_000];
  const texts = new Map(blanks.map((count) => [count, blanksInKeySpec(count)]));
  const pattern = safePattern(POLYNOMIAL_PATTERN);
  if (!('test' in pattern)) {
    throw new Error(`${POLYNOMIAL_PATTERN} is not checked: ${pattern.reason}`);
  }
  const uniqueSpec = bundled(uniqueItemsSpec());
  const checker = new ResponseChecker(uniqueSpec);
  const vehicles = specOperation(uniqueSpec, 'GET', '/vehicles')!;
  const bodies = new Map([4_000, 16_000, 64_000].map((records) => [records, uniqueItemsBody(records, false)]));
  const treeSpec = bundled(nestedUniqueItemsSpec());
  const treeChecker = new ResponseChecker(treeSpec);
  const tree = specOperation(treeSpec, 'GET', '/tree')!;
  const trees = new Map([100, 400, 1_600].map((depth) => [depth, nestedUniqueItemsBody(depth, 1_000_000)]));
  return [
    [
      'Hostile: operations located, a path key of N blanks (Node, median of 3)',
      await series(blanks, (count) => () => locateOperations(texts.get(count)!)),
      'the code lenses on open; the old key expression was quadratic: 2.6 s at 40,000, 9.6 s at 80,000',
    ],
    [
      'Hostile: full parse of the same spec (Node, median of 3)',
      await series(blanks, (count) => () => parseSpec(texts.get(count)!)),
      'diagnostics on open; it scanned the key again (another 4.5 s in code-server)',
    ],
    [
      `Hostile: the pattern ${POLYNOMIAL_PATTERN} on N digits then "!x" (RE2, median of 3)`,
      await series([60, 250, 998], (digits) => () => pattern.test(`${'1'.repeat(digits)}!x`)),
      'on JavaScript RegExp O(n⁸): 15 s at 60 digits; texts over 1,000 characters are not tested',
    ],
    [
      'Hostile: request body, an example of aliases (10 MB as JSON) $ref-ed by N properties (Node, median of 3)',
      await series([100, 1_000, 10_000], (uses) => {
        const spec = bundled(sharedExampleSpec(uses, 4));
        const operation = specOperation(spec, 'POST', '/orders')!;
        return () => requestBodyText(spec.document, operation);
      }),
      'Call and Open as .http; serialised in full once per use it took about 21 ms a use (25.9 s reported)',
    ],
    [
      'Hostile: response check, uniqueItems on N records (Node, median of 3)',
      await series(
        [...bodies.keys()],
        (records) => () => checker.check(vehicles, { status: 200, contentType: 'application/json', bodyText: bodies.get(records)! }),
      ),
      "Ajv's own uniqueItems compares every pair: 11 s at 16,000 records (reported)",
    ],
    [
      'Hostile: response check, uniqueItems on a recursive schema, N nested arrays around a 1 MB string (Node, median of 3)',
      await series([...trees.keys()], (depth) => () => treeChecker.check(tree, { status: 200, contentType: 'application/json', bodyText: trees.get(depth)! })),
      'canonicalised again at each level it took depth × size: 4.1 s at 100, 69.7 s at 400 (reported)',
    ],
  ];
}
