/** The request history's kept responses: private files in the extension's own storage, named by the history only. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHistory } from '../../src/core/apiRequests/requestHistory';
import { MAX_ARCHIVED_CHARS, ResponseArchive } from '../../src/core/apiRequests/responseArchive';

describe('ResponseArchive: the responses the request history keeps', () => {
  let root: string;
  let directory: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fortellis-archive-'));
    directory = join(root, 'responses');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('keeps a response in a private file (0600 in a 0700 folder) and reads it back by its name', async () => {
    const archive = new ResponseArchive(directory);
    const name = await archive.save('// HTTP 200 OK\n{"a": 1}');
    assert.equal(await archive.read(name), '// HTTP 200 OK\n{"a": 1}');
    assert.equal((await stat(join(directory, name))).mode & 0o777, 0o600);
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
  });

  it('cuts a response past 1 MB and says so', async () => {
    const archive = new ResponseArchive(directory);
    const text = (await archive.read(await archive.save('x'.repeat(MAX_ARCHIVED_CHARS + 10)))) ?? '';
    assert.ok(text.startsWith('x'.repeat(MAX_ARCHIVED_CHARS)));
    assert.match(text, /cut here: the history keeps the first 1 MB of a response/);
  });

  it('keepOnly removes the files no entry names, except those just written, and never a file that is not its own', async () => {
    const archive = new ResponseArchive(directory);
    const kept = await archive.save('kept');
    const old = await archive.save('old');
    const fresh = await archive.save('fresh');
    const past = new Date(Date.now() - 5 * 60_000);
    await utimes(join(directory, old), past, past);
    await utimes(join(directory, kept), past, past);
    await writeFile(join(directory, 'notes.txt'), 'not the archive’s');
    await utimes(join(directory, 'notes.txt'), past, past);
    await archive.keepOnly(new Set([kept]));
    assert.deepEqual((await readdir(directory)).sort(), [fresh, kept, 'notes.txt'].sort());
    await archive.keepOnly(new Set(), 0);
    assert.deepEqual(await readdir(directory), ['notes.txt']);
  });

  it('a name that is not one of its own is never read, and a history naming one is not believed', async () => {
    const archive = new ResponseArchive(directory);
    await writeFile(join(root, 'secret.txt'), 'outside');
    assert.equal(await archive.read('../secret.txt'), undefined);
    const entry = {
      at: 1,
      profile: 'p',
      label: 'Call API',
      method: 'GET',
      url: 'https://x.test/',
      subscriptionId: '',
      status: 200,
      elapsedMs: 1,
      requestId: 'r',
    };
    assert.equal(parseHistory([{ ...entry, response: { file: '../secret.txt', languageId: 'jsonc' } }]).length, 0);
    assert.equal(parseHistory([{ ...entry, response: { file: '0b7a4a4e-0000-4000-8000-000000000000.txt', languageId: 'jsonc' } }]).length, 1);
  });
});
