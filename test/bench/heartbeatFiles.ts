/** What heartbeatBench.ts (in Node) and heartbeatHost/index.ts (in the extension host) share. */

/** The files the bench writes into the workspace. */
export const BENCH_FILES = {
  large: 'large-spec.yaml',
  records: 'records-spec.yaml',
  blankLine: 'blank-line.yaml',
  pattern: 'polynomial-pattern.yaml',
  exampleRef: 'example-ref.yaml',
  /** A 2 MB Postman collection of 1,500 requests, for Import Postman Collection. */
  postman: 'large.postman_collection.json',
  /**
   * The 5 MB response, indented as the response view shows it: the run without Fortellis Auth opens it in the Call
   * phase, so that VS Code's own cost of taking in a 6 MB JSON document is in both columns.
   */
  response: 'records-response.jsonc',
} as const;

/** A phase of the workload: its name and when it ran (ms since the epoch, as the heartbeats are). */
export interface Phase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** What the user saw at its end (lenses, problems, messages, the check): proof that the phase did its work. */
  readonly seen: readonly string[];
}
