/** A thrown value in words: its message when it is an Error, else the value itself. The one place that says so. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
