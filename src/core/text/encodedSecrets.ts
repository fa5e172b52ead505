/**
 * Finds known secrets in text however they were encoded, and removes them: plain; split by whitespace (space, tab,
 * CR, LF anywhere, e.g. a base64 blob wrapped at 76 columns and indented, MIME-folded, or grouped by spaces);
 * JSON-escaped (\uXXXX, \/, \" …); percent-encoded (either hex case); base64, base64url or hex (either case) inside a
 * larger encoded value, whatever the bytes before the secret; and those combined (base64 inside a JSON string, or
 * inside a query parameter).
 *
 * It decodes instead of encoding the secrets: the text is read through a few decoded views (whitespace dropped;
 * JSON escapes decoded; percent escapes decoded), each mapping back to the text. A secret found in a view is removed
 * where it lies; one found inside a decoded base64 or hex run removes the whole run, so no part of it can be decoded
 * again. Each view is one pass over the text and each search is indexOf, so the time is linear in the text's length times
 * the number of secrets.
 *
 * A secret cut short counts too: a view (or a decoded base64 or hex run) that ENDS with the first SHORTEST_SHOWN_PREFIX
 * characters of a secret or more (half of a shorter secret) loses that tail, since a result capped in the middle of a
 * token would otherwise show all of it but its last characters. Fewer shown leave at least the rest of the secret to
 * guess (a token's first 7 characters say little: a JWT's are its well-known header), and requiring that many keeps
 * ordinary text that merely ends like a secret's first few characters. Each such search is an indexOf and a KMP pass
 * over the last (secret length - 1) characters, so it stays linear.
 */
import { MIN_SECRET_LENGTH, REDACTED } from './redaction';

/** A decoded form of the text: its i-th character comes from text[start[i], end[i]) (identity when absent). */
interface View {
  readonly text: string;
  readonly map?: { readonly start: Int32Array; readonly end: Int32Array };
  /** How many of its last characters are an escape cut short at the end ("\\u00", "%4"), kept as they are. */
  readonly cutEscape?: number;
}

/** A form of a secret to look for, and what finding it cut short at the end of a view takes. */
interface Needle {
  readonly text: string;
  /** KMP failure function: failure[i] is the length of the longest proper prefix of text[0..i] that also ends it. */
  readonly failure: Int32Array;
  /** The shortest prefix that counts as a find when a view ends with it. */
  readonly shortestPrefix: number;
  /** That prefix: a view without it near its end needs no KMP pass (indexOf is much faster). */
  readonly head: string;
}

interface Needles {
  /** As the secret was given. */
  readonly raw: readonly Needle[];
  /** As the text would hold it, whitespace dropped (views drop it too). */
  readonly plain: readonly Needle[];
  /** Its UTF-8 bytes as a latin1 string, whitespace dropped: what percent-decoding yields. */
  readonly bytes: readonly Needle[];
  /** Its UTF-8 bytes as a latin1 string, with and without whitespace: what base64-decoding yields. */
  readonly decoded: readonly Needle[];
}

/** A view ending with this many characters of a secret (or half a shorter one) or more loses them: see above. */
export const SHORTEST_SHOWN_PREFIX = 8;
/** A span's end meaning "to the end of the text", past whatever a view left out there (an escape cut short). */
const TEXT_END = Infinity;

const WHITESPACE = /[ \t\r\n]/;

/** `text` with every encoded occurrence of each secret replaced by REDACTED (overlapping finds merged). */
export function redactEncodedSecrets(text: string, secrets: readonly string[]): string {
  const needles = needlesOf(secrets);
  if (needles.plain.length === 0) {
    return text;
  }
  const spans: Array<[number, number]> = [];
  const raw: View = { text };
  findPlain(raw, needles.raw, spans);
  const stripped = withoutWhitespace(raw);
  const unescaped = jsonUnescaped(stripped);
  for (const view of [stripped, unescaped]) {
    if (view !== raw) {
      findPlain(view, needles.plain, spans);
    }
    const decoded = percentDecoded(view);
    if (decoded !== view) {
      findPlain(decoded, needles.bytes, spans);
      findInEncodedRuns(decoded, needles.decoded, spans);
    }
    findInEncodedRuns(view, needles.decoded, spans);
    if (unescaped === stripped) {
      break;
    }
  }
  return withSpansRedacted(text, spans);
}

function needlesOf(secrets: readonly string[]): Needles {
  const needles = { raw: [] as Needle[], plain: [] as Needle[], bytes: [] as Needle[], decoded: new Map<string, Needle>() };
  for (const secret of secrets) {
    needles.raw.push(needle(secret, shortestPrefixOf(secret)));
    const plain = secret.replace(/[ \t\r\n]/g, '');
    // A secret with fewer than MIN_SECRET_LENGTH characters besides whitespace is looked for only as given: its few
    // characters alone would match ordinary text.
    if (plain.length < MIN_SECRET_LENGTH) {
      continue;
    }
    // One count for all its forms, in characters: a form in bytes is at least as long.
    const shortest = shortestPrefixOf(plain);
    const bytes = Buffer.from(plain, 'utf8').toString('latin1');
    needles.plain.push(needle(plain, shortest));
    needles.bytes.push(needle(bytes, shortest));
    for (const decoded of [bytes, Buffer.from(secret, 'utf8').toString('latin1')]) {
      needles.decoded.set(decoded, needle(decoded, Math.min(shortest, needles.decoded.get(decoded)?.shortestPrefix ?? shortest)));
    }
  }
  return { ...needles, decoded: [...needles.decoded.values()] };
}

function shortestPrefixOf(secret: string): number {
  return Math.min(SHORTEST_SHOWN_PREFIX, Math.ceil(secret.length / 2));
}

function needle(text: string, shortestPrefix: number): Needle {
  const failure = new Int32Array(text.length);
  for (let i = 1, length = 0; i < text.length; i++) {
    while (length > 0 && text.charCodeAt(i) !== text.charCodeAt(length)) {
      length = failure[length - 1];
    }
    if (text.charCodeAt(i) === text.charCodeAt(length)) {
      length++;
    }
    failure[i] = length;
  }
  return { text, failure, shortestPrefix, head: text.slice(0, shortestPrefix) };
}

/** The length of the longest proper prefix of the needle that `text` ends with, if it counts as a find (else 0). */
function cutShortAtEnd(text: string, needle: Needle, end = text.length): number {
  const wanted = needle.text;
  // A proper prefix is at most wanted.length - 1 long: only that many last characters can hold it.
  const from = Math.max(0, end - wanted.length + 1);
  const head = text.indexOf(needle.head, from);
  if (head < 0 || head + needle.head.length > end) {
    return 0;
  }
  let length = 0;
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    while (length > 0 && wanted.charCodeAt(length) !== code) {
      length = needle.failure[length - 1];
    }
    if (wanted.charCodeAt(length) === code) {
      length++;
    }
  }
  return length >= needle.shortestPrefix ? length : 0;
}

function startOf(view: View, index: number): number {
  return view.map ? view.map.start[index] : index;
}

function endOf(view: View, index: number): number {
  return view.map ? view.map.end[index] : index + 1;
}

function findPlain(view: View, needles: readonly Needle[], spans: Array<[number, number]>): void {
  for (const { text: needle } of needles) {
    for (let at = view.text.indexOf(needle); at >= 0; at = view.text.indexOf(needle, at + needle.length)) {
      spans.push([startOf(view, at), endOf(view, at + needle.length - 1)]);
    }
  }
  // At the end, and at each character of an escape cut short there (its first characters may be read as themselves).
  for (let end = view.text.length; end >= view.text.length - (view.cutEscape ?? 0); end--) {
    for (const needle of needles) {
      const shown = cutShortAtEnd(view.text, needle, end);
      if (shown > 0) {
        spans.push([startOf(view, end - shown), TEXT_END]);
      }
    }
  }
}

/**
 * How encoded runs are found and decoded: base64/base64url from each of its 4 character offsets, hex (either case)
 * from each of its 2, so at any byte alignment.
 */
const RUN_ENCODINGS: ReadonlyArray<{ run: RegExp; encoding: BufferEncoding; offsets: number; charactersPerByte: number }> = [
  { run: /[A-Za-z0-9+/_-]+=*/g, encoding: 'base64', offsets: 4, charactersPerByte: 4 / 3 },
  { run: /[0-9a-fA-F]+/g, encoding: 'hex', offsets: 2, charactersPerByte: 2 },
];

/** Each encoded run, decoded: one that holds a needle, or ends with its start cut short, goes whole. */
function findInEncodedRuns(view: View, needles: readonly Needle[], spans: Array<[number, number]>): void {
  for (const { run: pattern, encoding, offsets, charactersPerByte } of RUN_ENCODINGS) {
    const shortest = Math.min(...needles.map((needle) => Math.ceil(needle.shortestPrefix * charactersPerByte)));
    for (const run of view.text.matchAll(pattern)) {
      if (run[0].length < shortest) {
        continue;
      }
      for (let offset = 0; offset < offsets; offset++) {
        const decoded = Buffer.from(run[0].slice(offset), encoding).toString('latin1');
        // A decoding without a needle's head holds neither the needle nor its start cut short.
        if (needles.some((needle) => decoded.includes(needle.head) && (decoded.includes(needle.text) || cutShortAtEnd(decoded, needle) > 0))) {
          spans.push([startOf(view, run.index), endOf(view, run.index + run[0].length - 1)]);
          break;
        }
      }
    }
  }
}

/** Builds a view from another, one output character at a time, each mapped to the text it came from. */
class ViewBuilder {
  private codes: Uint16Array;
  private start: Int32Array;
  private end: Int32Array;
  private length = 0;

  /** `capacity`: the usual length of the view (it grows past it when needed). */
  constructor(
    private readonly from: View,
    capacity: number,
  ) {
    this.codes = new Uint16Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }

  /** A character decoded from the source view's characters [first, last]. */
  push(code: number, first: number, last: number): void {
    if (this.length === this.codes.length) {
      this.grow();
    }
    this.codes[this.length] = code;
    this.start[this.length] = startOf(this.from, first);
    this.end[this.length] = endOf(this.from, last);
    this.length++;
  }

  private grow(): void {
    const capacity = this.codes.length * 2 + 16;
    const codes = new Uint16Array(capacity);
    const start = new Int32Array(capacity);
    const end = new Int32Array(capacity);
    codes.set(this.codes);
    start.set(this.start);
    end.set(this.end);
    [this.codes, this.start, this.end] = [codes, start, end];
  }

  /** `cutEscape`: see View (a cut escape's characters are ASCII, each kept as one character). */
  view(cutEscape = this.from.cutEscape): View {
    // utf16le keeps each code unit as it is (a lone surrogate included).
    const text = Buffer.from(this.codes.buffer, 0, this.length * 2).toString('utf16le');
    return { text, map: { start: this.start.subarray(0, this.length), end: this.end.subarray(0, this.length) }, cutEscape };
  }
}

/** Space, tab, CR or LF. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function withoutWhitespace(view: View): View {
  if (!WHITESPACE.test(view.text)) {
    return view;
  }
  const builder = new ViewBuilder(view, view.text.length);
  for (let i = 0; i < view.text.length; i++) {
    const code = view.text.charCodeAt(i);
    if (!isWhitespace(code)) {
      builder.push(code, i, i);
    }
  }
  return builder.view();
}

const JSON_ESCAPES: Readonly<Record<string, number>> = { '"': 0x22, '\\': 0x5c, '/': 0x2f, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

/**
 * JSON string escapes decoded (decoded whitespace dropped); an escape cut short at the end dropped; anything else, a
 * lone backslash included, kept.
 */
function jsonUnescaped(view: View): View {
  const text = view.text;
  if (!text.includes('\\')) {
    return view;
  }
  const builder = new ViewBuilder(view, text.length);
  let cutEscape: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c && text.length - i <= 5 && /^\\(?:u[0-9a-fA-F]{0,3})?$/.test(text.slice(i))) {
      cutEscape = text.length - i;
    }
    if (code === 0x5c && i + 1 < text.length) {
      const next = text[i + 1];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        const decoded = parseInt(text.slice(i + 2, i + 6), 16);
        if (!isWhitespace(decoded)) {
          builder.push(decoded, i, i + 5);
        }
        i += 5;
        continue;
      }
      const escaped = JSON_ESCAPES[next];
      if (escaped !== undefined) {
        if (!isWhitespace(escaped)) {
          builder.push(escaped, i, i + 1);
        }
        i += 1;
        continue;
      }
    }
    builder.push(code, i, i);
  }
  return builder.view(cutEscape);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) {
    return code - 0x30;
  }
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * %XX decoded to the byte it stands for (decoded whitespace dropped; one cut short at the end dropped), other ASCII kept, anything else as its UTF-8
 * bytes: a byte string, where a secret is looked for as its UTF-8 bytes.
 */
function percentDecoded(view: View): View {
  const text = view.text;
  if (!text.includes('%')) {
    return view;
  }
  const builder = new ViewBuilder(view, text.length);
  let cutEscape: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && text.length - i <= 2 && /^%[0-9a-fA-F]?$/.test(text.slice(i))) {
      cutEscape = text.length - i;
    }
    if (code === 0x25 && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        const byte = high * 16 + low;
        if (!isWhitespace(byte)) {
          builder.push(byte, i, i + 2);
        }
        i += 2;
        continue;
      }
    }
    if (code < 0x80) {
      builder.push(code, i, i);
      continue;
    }
    const low = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const paired = code >= 0xd800 && code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
    const last = paired ? i + 1 : i;
    for (const byte of utf8Bytes(paired ? 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00) : code)) {
      builder.push(byte, i, last);
    }
    i = last;
  }
  return builder.view(cutEscape);
}

/** The UTF-8 bytes of a code point; a lone surrogate as U+FFFD's, as Buffer.from encodes it. */
function utf8Bytes(codePoint: number): number[] {
  if (codePoint < 0x800) {
    return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  }
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return [0xef, 0xbf, 0xbd];
  }
  if (codePoint < 0x10000) {
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
}

function withSpansRedacted(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) {
    return text;
  }
  spans.sort((a, b) => a[0] - b[0]);
  const pieces: string[] = [];
  let kept = 0;
  let [start, end] = spans[0];
  for (const [nextStart, nextEnd] of spans.slice(1)) {
    if (nextStart <= end) {
      end = Math.max(end, nextEnd);
      continue;
    }
    pieces.push(text.slice(kept, start), REDACTED);
    kept = end;
    [start, end] = [nextStart, nextEnd];
  }
  pieces.push(text.slice(kept, start), REDACTED, text.slice(end));
  return pieces.join('');
}
