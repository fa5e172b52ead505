/**
 * The end of an integration run: each window (phase) with its mocha counts and result, as a table. The counts come
 * from the mocha summary lines ("12 passing", "1 failing") that the window's test index prints to this process's
 * stdout while it runs; a window that ended without one (it crashed, or never reported back) shows "-".
 */
export interface WindowResult {
  readonly name: string;
  readonly passed: boolean;
  readonly passing?: number;
  readonly failing?: number;
  /** Why it failed, when no test failure says so: an exit code, a timeout, a crash. */
  readonly problem?: string;
}

/** Counts the mocha summary lines written to stdout while `run` runs; the writes still go through. */
export async function countingMochaSummaries<T>(run: () => Promise<T>): Promise<{ value: T; passing?: number; failing?: number }> {
  const counts: { passing?: number; failing?: number } = {};
  const write = process.stdout.write;
  let partial = '';
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    partial += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^ +(\d+) (passing|failing)\b/.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
      if (match) {
        const kind = match[2] as 'passing' | 'failing';
        counts[kind] = (counts[kind] ?? 0) + Number(match[1]);
      }
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  try {
    const value = await run();
    return { value, ...counts };
  } finally {
    process.stdout.write = write;
  }
}

/**
 * The windows × result table. No line starts with spaces and a number, so .ci/run, which adds up mocha's
 * "N passing" / "N failing" lines, does not count the windows' tests twice.
 */
export function windowTable(title: string, results: readonly WindowResult[]): string {
  const rows = [
    ['window', 'result', 'passing', 'failing', 'problem'],
    ...results.map((result) => [
      result.name,
      result.passed ? 'passed' : 'FAILED',
      result.passing === undefined ? '-' : String(result.passing),
      result.failing === undefined ? (result.passed ? '0' : '-') : String(result.failing),
      result.problem ?? '',
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const lines = rows.map((cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
  lines.splice(1, 0, `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  const failed = results.filter((result) => !result.passed).length;
  return [``, title, ...lines, failed === 0 ? `All ${results.length} windows passed.` : `${failed} of ${results.length} windows failed.`].join('\n');
}
