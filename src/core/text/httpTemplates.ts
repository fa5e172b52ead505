/**
 * Where httpyac reads a template in a line of text, found in linear time. The rules are VARIABLE's and
 * ESCAPED_VARIABLE's in httpFileText.ts (httpyac's own regular expressions); a backtracking engine takes quadratic time
 * on them (a 40 KB header of "{{{{…" took 30 s), and a Postman collection or a spec may hold megabytes of braces. A
 * property in test/unit/httpTemplates.test.ts checks that these give the regular expressions' matches exactly.
 */

export interface TemplateMatch {
  readonly start: number;
  /** Just past the closing braces. */
  readonly end: number;
  /** The regular expression's group: the template's text without the braces and the spaces around it. */
  readonly inner: string;
}

/** JavaScript's \s. */
const WHITESPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/u;
/** What . does not match under the u flag. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/u;

/** The first index ≥ from where `needle` occurs, remembered: calls come with growing `from`, so the total is linear. */
class NextOccurrence {
  private from = Infinity;
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly test: (index: number) => boolean,
  ) {}

  at(from: number): number {
    if (from >= this.from && (this.found === -1 || from <= this.found)) {
      return this.found;
    }
    this.from = from;
    let index = from;
    while (index < this.text.length && !this.test(index)) {
      index++;
    }
    this.found = index < this.text.length ? index : -1;
    return this.found;
  }
}

/** Every match of /\{{2}\s*(.+?)\s*\}{2}/gu in `text`, in order (what text.matchAll(VARIABLE, global) gives). */
export function variableMatches(text: string): TemplateMatch[] {
  const matches: TemplateMatch[] = [];
  const isWhitespace = (index: number) => WHITESPACE.test(text[index] ?? 'x');
  const isTerminator = (index: number) => LINE_TERMINATOR.test(text[index] ?? 'x');
  const nextClose = new NextOccurrence(text, (index) => text[index] === '}' && text[index + 1] === '}');
  const nextTerminator = new NextOccurrence(text, isTerminator);
  const nextOpen = new NextOccurrence(text, (index) => text[index] === '{' && text[index + 1] === '{');
  // Where the spaces before a }} start, for the last }} asked about (many openings may share one).
  let spacesOf = { close: -1, spaces: -1 };
  let from = 0;
  for (let start = nextOpen.at(from); start !== -1; start = nextOpen.at(from)) {
    let p = start + 2;
    while (p < text.length && isWhitespace(p)) {
      p++;
    }
    const match = fromInner(start, p);
    if (match) {
      matches.push(match);
      from = match.end;
    } else {
      from = start + 1;
    }
  }
  return matches;

  function fromInner(start: number, p: number): TemplateMatch | undefined {
    // All the spaces taken first: the lazy group runs from p to the first }} it can reach on its line, or whose
    // spaces before it (line breaks too) follow the line's end.
    const close = p < text.length ? nextClose.at(p + 1) : -1;
    if (close !== -1) {
      if (spacesOf.close !== close) {
        let spaces = close;
        while (spaces > 0 && isWhitespace(spaces - 1)) {
          spaces--;
        }
        spacesOf = { close, spaces };
      }
      const spaces = Math.max(p + 1, spacesOf.spaces);
      const terminator = nextTerminator.at(p);
      if (terminator === -1 || close <= terminator || spaces <= terminator) {
        return { start, end: close + 2, inner: text.slice(p, spaces) };
      }
    }
    // Fewer spaces taken: only a }} right after them, with one of them, not a line break, as the group.
    if (p > start + 2 && text[p] === '}' && text[p + 1] === '}') {
      for (let k = p - 1; k >= start + 2; k--) {
        if (!isTerminator(k)) {
          return { start, end: p + 2, inner: text.slice(k, k + 1) };
        }
      }
    }
    return undefined;
  }
}

/** Every match of /(?:\\\{){2}([^}]+?)(?:\\\}){2}/gu in `text`: httpyac's escaped template \{\{…\}\}. */
export function escapedVariableMatches(text: string): TemplateMatch[] {
  const matches: TemplateMatch[] = [];
  const nextOpen = new NextOccurrence(text, (index) => text.startsWith('\\{\\{', index));
  const nextBrace = new NextOccurrence(text, (index) => text[index] === '}');
  let from = 0;
  for (let start = nextOpen.at(from); start !== -1; start = nextOpen.at(from)) {
    // [^}]+? stops at the first }: the match ends there, as \}\} with at least one character before its backslash.
    const brace = nextBrace.at(start + 4);
    if (brace !== -1 && brace >= start + 6 && text[brace - 1] === '\\' && text.startsWith('\\}', brace + 1)) {
      matches.push({ start, end: brace + 3, inner: text.slice(start + 4, brace - 1) });
      from = brace + 3;
    } else {
      from = start + 1;
    }
  }
  return matches;
}
