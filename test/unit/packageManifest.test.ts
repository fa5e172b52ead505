import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, CONTEXT_KEYS, SETTINGS_SECTION } from '../../src/commandIds';
import { NUMERIC_SETTINGS } from '../../src/core/numericSettings';

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    menus: Record<string, Array<{ command: string; when: string }>>;
    configuration: { properties: Record<string, { type: string; default?: unknown; scope?: string; minimum?: number; maximum?: number }> };
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('package.json', () => {
  it('contributes exactly the commands the code registers, all in the Fortellis category', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Fortellis', command.command);
    }
  });

  it('has a command titled "Get Fortellis Token", so typing that in the palette finds it', () => {
    const getToken = manifest.contributes.commands.find((c) => c.command === COMMANDS.getToken);
    assert.equal(getToken?.title, 'Get Fortellis Token');
  });

  it('guards menu entries with context keys the extension sets, or VS Code\'s own', () => {
    // VS Code's keys (and the value "empty" of workbenchState) that the menus use.
    const builtIn = ['workbenchState', 'empty', 'editorTextFocus', 'editorReadonly', 'editorHasSelection'];
    const known = new Set<string>([...Object.values(CONTEXT_KEYS), ...builtIn]);
    for (const { command, when } of Object.values(manifest.contributes.menus).flat()) {
      assert.ok(Object.values(COMMANDS).includes(command as never), command);
      for (const key of when.match(/[\w.]+/g) ?? []) {
        assert.ok(known.has(key), `${command}: unknown context key ${key}`);
      }
    }
  });

  it('declares every setting under the fortellis section with a type, and profiles application-scoped', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const [name, schema] of Object.entries(properties)) {
      assert.ok(name.startsWith(`${SETTINGS_SECTION}.`), name);
      assert.ok(schema.type, `${name} has a type`);
    }
    // A workspace must not be able to point a profile's secret at another server.
    assert.equal(properties['fortellis.profiles'].scope, 'application');
    assert.equal(properties['fortellis.sandbox.issuer'].scope, 'application');
  });

  it('declares each numeric setting with the limits the code clamps it to', () => {
    const properties = manifest.contributes.configuration.properties;
    const declared = Object.entries(properties)
      .filter(([, schema]) => schema.type === 'integer' || schema.type === 'number')
      .map(([name, schema]) => [name.slice(SETTINGS_SECTION.length + 1), { minimum: schema.minimum, maximum: schema.maximum, default: schema.default }]);
    assert.deepEqual(Object.fromEntries(declared), NUMERIC_SETTINGS);
  });

  it('activates lazily and loads the bundle', () => {
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
    assert.equal(manifest.main, './dist/extension.js');
  });
});
