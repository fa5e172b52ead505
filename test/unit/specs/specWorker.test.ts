import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { responseBody } from '../../../src/core/apiRequests/responseView';
import { SpecService } from '../../../src/core/specs/specService';
import { SpecWorkerClient } from '../../../src/core/specs/specWorkerClient';
import { SPEC_BUDGETS_MS, type SpecSource } from '../../../src/core/specs/specWorkerProtocol';
import { exampleValues } from '../../../src/core/specs/specRequest';
import { fuzzRuns } from '../helpers/fuzzSettings';
import { STALL_MARK } from './helpers/stallingSpecWorker';
import { fixturesDir } from './specFixtures';

/** The worker as the extension runs it (transpiled to out/), and the test one that can be made to stall. */
const SPEC_WORKER = join(__dirname, '..', '..', '..', 'src', 'core', 'specs', 'specWorker.js');
const STALLING_WORKER = join(__dirname, 'helpers', 'stallingSpecWorker.js');
/** Short budgets, so that a stalled step ends soon; the fixtures take a few milliseconds. */
const SHORT_BUDGETS = Object.fromEntries(Object.keys(SPEC_BUDGETS_MS).map((kind) => [kind, 1500])) as typeof SPEC_BUDGETS_MS;

const FIXTURES = ['swagger2-repair-orders.yaml', 'openapi30/dealers.yaml', 'openapi31/parts.json', 'broken.yaml', 'broken.json', 'broken-ref.yaml'];

function source(name: string, version = 1): SpecSource {
  const filePath = join(fixturesDir, name);
  return { key: `${filePath}#${version}`, text: readFileSync(filePath, 'utf8'), filePath, root: dirname(filePath) };
}

const stalling = (key: string): SpecSource => ({
  key,
  text: `openapi: 3.0.3\n${STALL_MARK}\ninfo: {title: t, version: '1'}\npaths: {}\n`,
  filePath: join(fixturesDir, `${key}.yaml`),
  root: fixturesDir,
});

describe('specs: the spec worker (parse, bundling, bodies and checks off the extension host)', () => {
  const clients: SpecWorkerClient[] = [];
  const client = (entry: string, budgets = SPEC_BUDGETS_MS): SpecWorkerClient => {
    const created = new SpecWorkerClient(entry, budgets);
    clients.push(created);
    return created;
  };
  afterEach(() => clients.splice(0).forEach((each) => each.dispose()));

  it('answers each request on the fixtures as the same code does in the extension host thread', async function () {
    this.timeout(30_000);
    const worker = client(SPEC_WORKER);
    const inThread = new SpecService();
    let compared = 0;
    for (const name of FIXTURES) {
      const spec = source(name);
      const summary = await worker.ask({ kind: 'load', source: spec });
      assert.ok(summary.done, `${name}: ${!summary.done && summary.reason}`);
      assert.deepEqual(summary.value, await inThread.handle({ kind: 'load', source: spec }), name);
      if (!summary.value.ok) {
        continue;
      }
      const options = { title: summary.value.title, baseUrl: 'https://api.example.test/v1', subscriptionId: 'sub-1' };
      assert.deepEqual(await worker.ask({ kind: 'httpFile', source: spec, options }), {
        done: true,
        value: await inThread.handle({ kind: 'httpFile', source: spec, options }),
      });
      for (const { method, path } of summary.value.operations) {
        const operation = await inThread.handle({ kind: 'operation', source: spec, method, path });
        assert.ok(operation, `${name}: ${method} ${path}`);
        compared++;
        assert.deepEqual(await worker.ask({ kind: 'operation', source: spec, method, path }), { done: true, value: operation });
        const request = { kind: 'request', source: spec, method, path, baseUrl: 'https://api.example.test/v1', values: exampleValues(operation) } as const;
        assert.deepEqual(await worker.ask(request), { done: true, value: await inThread.handle(request) });
        for (const status of operation.responses.map((response) => Number(response.status) || 200)) {
          const response = { status, contentType: 'application/json', bodyText: '{"id": 1, "name": 2}' };
          const check = { kind: 'check', source: spec, method, path, response } as const;
          assert.deepEqual(await worker.check(spec, method, path, response), await inThread.handle(check), `${name}: ${method} ${path} ${status}`);
        }
      }
    }
    assert.ok(compared >= 5, `only ${compared} operations compared`);
  });

  it('a spec whose reading never ends: "Not checked" at its first line once the budget is spent, and the next spec is read', async function () {
    this.timeout(30_000);
    const worker = client(STALLING_WORKER, SHORT_BUDGETS);
    assert.deepEqual(await worker.load(stalling('hostile')), {
      ok: false,
      problems: [
        {
          start: { line: 0, column: 0 },
          message: 'Not checked: reading the spec took more than 1500 ms, so it was stopped (a spec this slow may be built to stall the editor).',
        },
      ],
    });
    const good = source('swagger2-repair-orders.yaml');
    assert.deepEqual(await worker.load(good), await new SpecService().handle({ kind: 'load', source: good }));
  });

  it('a response check that never ends is "unchecked" with why, not an exception', async function () {
    this.timeout(30_000);
    const worker = client(STALLING_WORKER, SHORT_BUDGETS);
    const checked = await worker.check(stalling('hostile-check'), 'GET', '/x', { status: 200, contentType: 'application/json', bodyText: '{}' });
    assert.deepEqual(checked, {
      check: {
        verdict: 'unchecked',
        documentedAs: '200',
        reason: 'checking the response took more than 1500 ms, so it was stopped (a spec this slow may be built to stall the editor)',
      },
      // The body is still shown, as received.
      body: { text: '{}', json: false },
    });
  });

  it('property: in any order, stalled steps end "not done" and every other request gets its in-thread answer', async function () {
    this.timeout(120_000);
    const inThread = new SpecService();
    const good = source('openapi30/dealers.yaml');
    const expected = await inThread.handle({ kind: 'load', source: good });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), async (stalls) => {
        const worker = client(STALLING_WORKER, SHORT_BUDGETS);
        try {
          // All asked at once, as editors and clicks do: the client runs them one after the other.
          const answers = await Promise.all(stalls.map((stall, index) => worker.ask({ kind: 'load', source: stall ? stalling(`stall-${index}`) : good })));
          answers.forEach((answer, index) => {
            if (stalls[index]) {
              assert.equal(answer.done, false);
              assert.match(!answer.done ? answer.reason : '', /^reading the spec took more than/);
            } else {
              assert.deepEqual(answer, { done: true, value: expected });
            }
          });
        } finally {
          worker.dispose();
        }
      }),
      { numRuns: fuzzRuns(4) },
    );
  });

  it("the response view's body comes back from the worker with the check: JSON indented, anything else as received", async function () {
    this.timeout(30_000);
    const worker = client(SPEC_WORKER);
    const spec = source('openapi30/dealers.yaml');
    const summary = await worker.load(spec);
    assert.ok(summary.ok);
    const { method, path } = summary.operations[0];
    const records = {
      items: [
        { id: 'R-1', year: 2024 },
        { id: 'R-2', notes: 'a "quoted" note' },
      ],
    };
    const cases = [
      [{ bodyText: JSON.stringify(records) }, { text: JSON.stringify(records, null, 2), json: true }],
      [{ bodyText: 'Service unavailable' }, { text: 'Service unavailable', json: false }],
      [
        { bodyText: '{"items": [', truncated: true },
        { text: '{"items": [', json: false },
      ],
      [{ bodyText: '' }, { text: '', json: true }],
    ] as const;
    for (const [body, expected] of cases) {
      const response = { status: 200, contentType: 'application/json', ...body };
      const checked = await worker.check(spec, method, path, response);
      assert.deepEqual(checked.body, expected, body.bodyText);
      assert.deepEqual(checked, await new SpecService().handle({ kind: 'check', source: spec, method, path, response }));
    }
  });

  it("property: the view's body of any JSON response parses back to the same value; of any other text, is that text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.boolean(), (value, other, truncated) => {
        const json = JSON.stringify(value);
        const body = responseBody(json, truncated);
        if (truncated) {
          assert.deepEqual(body, { text: json, json: false });
        } else {
          assert.equal(body.json, true);
          assert.deepEqual(JSON.parse(body.text), JSON.parse(json));
        }
        let isJson = true;
        try {
          JSON.parse(other);
        } catch {
          isJson = false;
        }
        const plain = responseBody(other, false);
        assert.equal(plain.json, isJson || other.length === 0);
        if (!plain.json) {
          assert.equal(plain.text, other);
        }
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('a worker that cannot start: each request is answered "not done" with why, and the client keeps answering', async () => {
    const cases = [
      [join(__dirname, 'no-such-worker.js'), /^reading the spec failed: Cannot find module .*no-such-worker\.js/],
      ['specWorker.js', /^reading the spec failed: The worker script or module filename must be an absolute path/],
    ] as const;
    for (const [entry, reason] of cases) {
      const worker = client(entry);
      for (const name of ['broken.yaml', 'swagger2-repair-orders.yaml']) {
        const answer = await worker.ask({ kind: 'load', source: source(name) });
        assert.equal(answer.done, false);
        assert.match(!answer.done ? answer.reason : '', reason);
      }
    }
  });

  it('after dispose, a request is answered "not done" at once and starts no worker', async () => {
    const worker = client(SPEC_WORKER);
    worker.dispose();
    assert.deepEqual(await worker.ask({ kind: 'load', source: source('broken.yaml') }), {
      done: false,
      reason: 'reading the spec was not done: the extension is stopping',
    });
  });
});
