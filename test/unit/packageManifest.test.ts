import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, CONTEXT_KEYS, READ_ONLY_SCHEME, RESPONSE_SCHEME, SETTINGS_SECTION } from '../../src/platform/commandIds';
import { NUMERIC_SETTINGS } from '../../src/core/settings/numericSettings';

interface Manifest {
  main: string;
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
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

  it("guards menu entries with context keys the extension sets, or VS Code's own", () => {
    // VS Code's keys (and the values "empty" of workbenchState and "http" of editorLangId) that the menus use.
    const builtIn = ['workbenchState', 'empty', 'editorTextFocus', 'editorReadonly', 'editorHasSelection', 'editorLangId', 'http', 'resourceScheme'];
    // The values of resourceScheme: the response views' schemes.
    const known = new Set<string>([...Object.values(CONTEXT_KEYS), ...builtIn, READ_ONLY_SCHEME, RESPONSE_SCHEME]);
    for (const { command, when } of Object.values(manifest.contributes.menus).flat()) {
      assert.ok(Object.values(COMMANDS).includes(command as never), command);
      for (const key of when.match(/[\w.-]+/g) ?? []) {
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

  /**
   * One row per setting: its scope and why. "application" and "machine" settings are read from the user's settings
   * only: a repository's .vscode/settings.json cannot set them (VS Code ignores the value, and the extension logs it).
   */
  const SETTING_SCOPES: Record<string, { scope: 'application' | 'machine'; why: string }> = {
    'fortellis.profiles': { scope: 'application', why: 'issuer and API key: a workspace would send the stored secret to its own server' },
    'fortellis.activeProfile': { scope: 'application', why: 'a workspace would pick which credentials every command uses' },
    'fortellis.sandbox.issuer': { scope: 'application', why: 'where the sandbox profile sends its secret' },
    'fortellis.sandbox.apiBaseUrl': { scope: 'application', why: 'where Call API sends the token without asking' },
    'fortellis.sandbox.subscriptionsUrl': { scope: 'application', why: 'where the token is sent to list subscriptions' },
    'fortellis.tokenRenewal.enabled': { scope: 'application', why: 'a workspace could stop renewal so that tokens expire mid-work' },
    'fortellis.tokenRenewal.secondsBeforeExpiry': { scope: 'application', why: 'a workspace could force a token request on every tick (clamped too)' },
    'fortellis.http.timeoutSeconds': { scope: 'machine', why: 'depends on the network of the machine the extension runs on, not on a repository' },
    'fortellis.signIn.pkce': { scope: 'application', why: 'a workspace could turn off PKCE, so that an intercepted code can be redeemed' },
    'fortellis.signIn.refreshTokens': { scope: 'application', why: "whether a long-lived refresh token is kept is the user's choice" },
    'fortellis.signIn.scopes': { scope: 'application', why: 'a workspace could ask the user to consent to scopes it chose' },
    'fortellis.signIn.timeoutSeconds': { scope: 'application', why: 'how long a loopback port stays open for a callback' },
    'fortellis.signIn.loopbackRedirectUri': { scope: 'application', why: 'where the browser delivers the code or the tokens' },
    'fortellis.signIn.implicitResponseType': { scope: 'application', why: 'a workspace could drop the ID token (and its nonce check) from the implicit flow' },
    'fortellis.copyToken.clearAfterSeconds': {
      scope: 'application',
      why: 'a workspace could keep the token on the clipboard (0) for anything that reads it later',
    },
    'fortellis.snippets.writeTokenLiterally': { scope: 'application', why: 'a workspace could make writing the token into its source files the first choice' },
    'fortellis.terminal.exportToken': { scope: 'application', why: "whether terminals (which run the workspace's scripts) get the token is the user's choice" },
    'fortellis.agentTools.enabled': {
      scope: 'application',
      why: "whether AI agents may call Fortellis with the user's token is the user's choice, not a repository's",
    },
  };

  it('gives every setting the scope of its row: none can be set by a workspace', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(SETTING_SCOPES).sort(), 'one row per setting');
    for (const [name, { scope }] of Object.entries(SETTING_SCOPES)) {
      assert.equal(properties[name].scope, scope, name);
    }
  });

  it('works in Restricted Mode, limited, and says what waits for trust', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    for (const said of [/countdown/, /Copy/, /sign-in work/, /token files/, /terminals/, /waits until you trust/]) {
      assert.match(untrusted?.description ?? '', said);
    }
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
