/** One line of the printed summary: what a fault did to the core. Never holds a token or a secret. */
export interface FaultRow {
  readonly case: string;
  readonly kind: string;
  readonly requests: string;
  readonly retriedWaits: string;
  readonly tokenStillServed: string;
  readonly credentialsIntact: string;
  readonly secretAbsent: string;
}

const COLUMNS: ReadonlyArray<[keyof FaultRow, string]> = [
  ['case', 'case'],
  ['kind', 'kind'],
  ['requests', 'requests'],
  ['retriedWaits', 'retried waits'],
  ['tokenStillServed', 'token still served'],
  ['credentialsIntact', 'credentials intact'],
  ['secretAbsent', 'secret absent'],
];

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'NO';
}

/** "3" for HTTP requests; other units are named ("1 TLS handshake"). */
export function formatAttempts(count: number, unit: string): string {
  return unit === 'request' ? String(count) : `${count} ${unit}${count === 1 ? '' : 's'}`;
}

export function formatWaits(waits: readonly number[]): string {
  return waits.length === 0 ? '-' : `${waits.join(', ')} ms`;
}

/** A Markdown table, padded so it also reads as plain text. */
export function formatTable(rows: readonly FaultRow[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(COLUMNS.map(([, title]) => title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(COLUMNS.map(([key]) => row[key]))),
  ].join('\n');
}
