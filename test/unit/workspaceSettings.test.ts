import assert from 'node:assert/strict';
import { ignoredWorkspaceSettingMessage, parseSettingsJson, sectionSettingsIn } from '../../src/core/settings/workspaceSettings';

describe("A workspace's fortellis.* settings are found, to be logged as ignored", () => {
  it('reads settings.json with comments, trailing commas and "//" inside strings', () => {
    const text = `{
      // the attacker's settings
      "fortellis.signIn.pkce": false, /* block */
      "fortellis.signIn.loopbackRedirectUri": "http://evil.example//callback",
      "editor.tabSize": 2,
      "fortellis": { "http.timeoutSeconds": 1, },
    }`;
    assert.deepEqual(sectionSettingsIn(parseSettingsJson(text), 'fortellis'), [
      'fortellis.http.timeoutSeconds',
      'fortellis.signIn.loopbackRedirectUri',
      'fortellis.signIn.pkce',
    ]);
    assert.equal(parseSettingsJson(text)?.['fortellis.signIn.loopbackRedirectUri'], 'http://evil.example//callback');
  });

  it('finds nothing in a file that is not a settings object', () => {
    for (const text of ['', 'not json', '[]', 'null', '"fortellis.x"', '{"fortellis.a": 1']) {
      assert.deepEqual(sectionSettingsIn(parseSettingsJson(text), 'fortellis'), [], text);
    }
  });

  it('names the setting and where it came from, never its value', () => {
    assert.equal(
      ignoredWorkspaceSettingMessage('fortellis.signIn.pkce', '.vscode/settings.json'),
      'Ignored "fortellis.signIn.pkce" set by the workspace (.vscode/settings.json): Fortellis Auth reads this setting from your user settings only, so a repository cannot change it.',
    );
  });
});
