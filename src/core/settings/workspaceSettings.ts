/**
 * The fortellis.* values a workspace's own settings files (.vscode/settings.json, a .code-workspace file's
 * "settings") try to set. Fortellis Auth takes every one of its settings from the user's settings only: this finds
 * the workspace's values so that each one ignored gets a log line naming it.
 */

/** The settings JSON with comments and trailing commas (as VS Code allows); undefined when it is not an object. */
export function parseSettingsJson(text: string): Record<string, unknown> | undefined {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      out += char;
      if (char === '\\') {
        out += text[++i] ?? '';
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else if (char === ',' && closesNext(text, i + 1)) {
      // A trailing comma: dropped.
    } else {
      out += char;
    }
  }
  try {
    const value: unknown = JSON.parse(out);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function closesNext(text: string, from: number): boolean {
  const closing = /\s*[}\]]/y;
  closing.lastIndex = from;
  return closing.test(text);
}

/** The names of the section's settings in a settings object: "fortellis.x" keys, and keys of a "fortellis" object. */
export function sectionSettingsIn(settings: Record<string, unknown> | undefined, section: string): string[] {
  if (!settings) {
    return [];
  }
  const names = new Set<string>();
  for (const [key, value] of Object.entries(settings)) {
    if (key.startsWith(`${section}.`)) {
      names.add(key);
    } else if (key === section && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      Object.keys(value).forEach((inner) => names.add(`${section}.${inner}`));
    }
  }
  return [...names].sort();
}

/** The log line for one ignored workspace value. Never the value: it may be anything, a secret included. */
export function ignoredWorkspaceSettingMessage(name: string, source: string): string {
  return `Ignored "${name}" set by the workspace (${source}): Fortellis Auth reads this setting from your user settings only, so a repository cannot change it.`;
}
