import assert from 'node:assert/strict';
import { countingMochaSummaries, windowTable } from '../host/windowResults';

describe('integration window results', () => {
  it('adds up the mocha summaries printed while a window runs, passes every write on, and then stops counting', async () => {
    const printed: string[] = [];
    const write = process.stdout.write;
    // Stands in for the terminal, under the counting wrapper.
    process.stdout.write = ((chunk: string) => (printed.push(chunk), true)) as typeof process.stdout.write;
    try {
      const counted = await countingMochaSummaries(async () => {
        process.stdout.write('  ✔ a test\n\n  12 pass');
        process.stdout.write('ing (3s)\n  \x1b[31m 2 failing\x1b[0m\n  1 pending\n');
        return 'done';
      });
      assert.deepEqual(counted, { value: 'done', passing: 12, failing: 2 });
      const silent = await countingMochaSummaries(async () => 'nothing printed');
      assert.deepEqual(silent, { value: 'nothing printed' });
      process.stdout.write('  3 passing\n');
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(printed, ['  ✔ a test\n\n  12 pass', 'ing (3s)\n  \x1b[31m 2 failing\x1b[0m\n  1 pending\n', '  3 passing\n']);
  });

  it('prints every window, says how many failed, and has no line .ci/run would count as a mocha summary', () => {
    const table = windowTable('Integration windows:', [
      { name: 'integration', passed: true, passing: 12, failing: 0 },
      { name: 'use-token', passed: false, passing: 20, failing: 1, problem: 'exit code 1' },
      { name: 'faults', passed: false, problem: 'The workbench page crashed before the tests ended' },
    ]);
    const lines = table.split('\n');
    assert.ok(
      lines.some((line) => /^\| integration +\| passed +\| 12 +\| 0 +\|/.test(line)),
      table,
    );
    assert.ok(
      lines.some((line) => /^\| use-token +\| FAILED +\| 20 +\| 1 +\| exit code 1 +\|/.test(line)),
      table,
    );
    assert.ok(
      lines.some((line) => /^\| faults +\| FAILED +\| - +\| - +\| The workbench page crashed/.test(line)),
      table,
    );
    assert.ok(lines.includes('2 of 3 windows failed.'), table);
    assert.ok(!lines.some((line) => /^ +[0-9]+ (passing|failing)/.test(line)), table);
  });
});
