import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeFileNextTo } from '../../../src/core/specs/specHttpTarget';
import { writeFileSafely } from '../../../src/core/tokenExport/safeFileWrite';

describe('specs: where Open as .http writes', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await fs.mkdtemp(join(tmpdir(), 'fortellis-http-target-'));
  });
  afterEach(async () => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('a dangling spec.http link is not a free name, and the file written there is a new regular file', async () => {
    const spec = join(folder, 'spec.yaml');
    const elsewhere = join(folder, 'outside-target');
    await fs.writeFile(spec, 'openapi: 3.0.0');
    await fs.symlink(elsewhere, join(folder, 'spec.http'));
    await fs.writeFile(join(folder, 'spec-2.http'), 'mine');
    const target = await freeFileNextTo(spec);
    assert.equal(target, join(folder, 'spec-3.http'));
    const result = await writeFileSafely({ path: target, workspaceFolders: [folder], text: () => 'GET x' });
    assert.deepEqual(result, { written: true });
    assert.equal((await fs.lstat(target)).isFile(), true);
    await assert.rejects(fs.lstat(elsewhere), { code: 'ENOENT' });
    assert.equal(await fs.readFile(join(folder, 'spec-2.http'), 'utf8'), 'mine');
  });
});
