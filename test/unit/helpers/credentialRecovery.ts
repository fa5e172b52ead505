/**
 * Whether a credential can be recovered from a text, decoding it generously and independently of the redactor:
 * whitespace (space, tab, CR, LF) stripped, JSON escapes and percent escapes decoded (and both), and every
 * base64/base64url run decoded at each of its 4 character offsets and every hex run at each of its 2 (so at any byte
 * alignment). Used by the unit property and the agent tools' real-host secret scan.
 */

/** Every form of `text` a reader could decode, as strings and as UTF-8 byte strings (latin1). */
function decodings(text: string): string[] {
  const stripped = withoutWhitespace(text);
  const forms: string[] = [];
  for (const unescaped of [stripped, jsonUnescape(stripped)]) {
    for (const decoded of [unescaped, percentDecode(unescaped)]) {
      forms.push(decoded);
      for (const run of decoded.match(/[A-Za-z0-9+/_-]+/g) ?? []) {
        for (let offset = 0; offset < 4; offset++) {
          forms.push(Buffer.from(run.slice(offset), 'base64').toString('latin1'));
        }
      }
      for (const run of decoded.match(/[0-9a-fA-F]+/g) ?? []) {
        for (let offset = 0; offset < 2; offset++) {
          forms.push(Buffer.from(run.slice(offset), 'hex').toString('latin1'));
        }
      }
    }
  }
  return forms;
}

function jsonUnescape(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(["\\/bfnrt])/g, (_, c: string) => ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })[c] ?? c)
    .replace(/[ \t\r\n]/g, '');
}

/** %XX to the byte it stands for (a latin1 character), other characters kept. */
function percentDecode(text: string): string {
  return withoutWhitespace(text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

function withoutWhitespace(text: string): string {
  return text.replace(/[ \t\r\n]/g, '');
}

/** The credential's forms a text may show: as it is and without whitespace, each as characters and as UTF-8 bytes. */
function wanted(credential: string): { characters: string[]; bytes: string[] } {
  const characters = [...new Set([credential, withoutWhitespace(credential)])];
  return { characters, bytes: characters.map((form) => Buffer.from(form, 'utf8').toString('latin1')) };
}

export function recoverable(result: string, credential: string): boolean {
  const { characters, bytes } = wanted(credential);
  return decodings(result).some((form) => [...characters, ...bytes].some((value) => form.includes(value)));
}

/**
 * The longest start of a credential (as it is or without whitespace) that some decoded form of the text shows: in
 * characters, and in UTF-8 bytes.
 */
export function shownPrefix(text: string, credential: string): { characters: number; bytes: number } {
  const forms = decodings(text);
  const longest = (value: string): number => {
    let length = value.length;
    while (length > 0 && !forms.some((form) => form.includes(value.slice(0, length)))) {
      length--;
    }
    return length;
  };
  const { characters, bytes } = wanted(credential);
  return { characters: Math.max(...characters.map(longest)), bytes: Math.max(...bytes.map(longest)) };
}
