import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzRuns } from './helpers/fuzzSettings';
import { removeTerminalTokenFile, terminalTokenFilePath, writeTerminalTokenFile } from '../../src/core/tokenExport/terminalTokenFile';

/** Token-like text: what a JWT holds (base64url and dots). */
const tokenText = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}\.[A-Za-z0-9_-]{8,200}\.[A-Za-z0-9_-]{8,40}$/);

describe("The terminals' token file (real files, real links)", () => {
  let root: string;
  let storage: string;
  let outside: string;
  let file: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fortellis-terminal-token-'));
    storage = join(root, 'globalStorage');
    outside = join(root, 'outside');
    mkdirSync(storage);
    mkdirSync(outside);
    file = terminalTokenFilePath(storage);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lies in the storage directory given, under a name that holds nothing but "terminal/token"', () => {
    assert.equal(file, join(storage, 'terminal', 'token'));
  });

  it('holds exactly the token, mode 0600 in a directory of mode 0700, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      assert.deepEqual(await writeTerminalTokenFile(file, 'eyJ.first.sig'), { written: true });
    } finally {
      process.umask(previous);
    }
    assert.equal(readFileSync(file, 'utf8'), 'eyJ.first.sig');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(storage, 'terminal')).mode & 0o777, 0o700);
  });

  it('an existing directory others can read becomes 0700', async () => {
    mkdirSync(join(storage, 'terminal'), { mode: 0o755 });
    chmodSync(join(storage, 'terminal'), 0o755);
    assert.deepEqual(await writeTerminalTokenFile(file, 'eyJ.first.sig'), { written: true });
    assert.equal(statSync(join(storage, 'terminal')).mode & 0o777, 0o700);
  });

  it('is replaced by a rename, never rewritten in place: a reader at any moment sees one whole token, and no temporary file stays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tokenText, { minLength: 2, maxLength: 6 }), async (tokens) => {
        assert.deepEqual(await writeTerminalTokenFile(file, 'eyJ.initial.sig'), { written: true });
        // The file as it was, held open: a write in place would change what it holds.
        const old = await open(file, 'r');
        const seen = new Set<string>();
        let writing = true;
        const reader = (async () => {
          while (writing) {
            seen.add(await readFile(file, 'utf8'));
          }
        })();
        for (const token of tokens) {
          assert.deepEqual(await writeTerminalTokenFile(file, token), { written: true });
        }
        writing = false;
        await reader;
        const whole = new Set(['eyJ.initial.sig', ...tokens]);
        for (const text of seen) {
          assert.ok(whole.has(text), `a reader saw ${JSON.stringify(text)}, not one of the tokens written`);
        }
        assert.equal(readFileSync(file, 'utf8'), tokens[tokens.length - 1]);
        const oldText = (await old.read(Buffer.alloc(64), 0, 64, 0)).buffer.toString('utf8').replace(/\0+$/, '');
        await old.close();
        assert.equal(oldText, 'eyJ.initial.sig', 'a new file took the name (rename); the old one was never written into');
        assert.deepEqual(readdirSync(join(storage, 'terminal')), ['token']);
      }),
      { numRuns: fuzzRuns(20) },
    );
  });

  it('refuses to write through a link at its name, and leaves the target as it was', async () => {
    const target = join(outside, 'elsewhere');
    writeFileSync(target, 'not yours');
    mkdirSync(join(storage, 'terminal'), { mode: 0o700 });
    symlinkSync(target, file);
    const result = await writeTerminalTokenFile(file, 'eyJ.first.sig');
    assert.equal(result.written, false);
    assert.equal(result.written ? undefined : result.reason, 'symlink');
    assert.equal(readFileSync(target, 'utf8'), 'not yours');
    assert.ok(lstatSync(file).isSymbolicLink(), 'the link is left as it is');
  });

  it('refuses a directory that is a link (to a directory anywhere), and writes nothing there', async () => {
    symlinkSync(outside, join(storage, 'terminal'));
    const result = await writeTerminalTokenFile(file, 'eyJ.first.sig');
    assert.equal(result.written, false);
    assert.match(result.written ? '' : result.message, /is not a directory of Fortellis Auth's own/);
    assert.ok(!(result.written ? '' : result.message).includes('eyJ'), 'no token in the message');
    assert.deepEqual(readdirSync(outside), []);
  });

  it('is removed when the token is gone; removing it again, or a link there, is no failure and never follows the link', async () => {
    await writeTerminalTokenFile(file, 'eyJ.first.sig');
    assert.equal(await removeTerminalTokenFile(file), undefined);
    assert.ok(!existsSync(file));
    assert.equal(await removeTerminalTokenFile(file), undefined);
    const target = join(outside, 'elsewhere');
    writeFileSync(target, 'not yours');
    symlinkSync(target, file);
    assert.equal(await removeTerminalTokenFile(file), undefined);
    assert.ok(!existsSync(file));
    assert.equal(readFileSync(target, 'utf8'), 'not yours');
  });
});
