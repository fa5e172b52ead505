/** Server-supplied text, shortened and stripped of control characters before it reaches a message. */
export function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean.length > 160 ? `${clean.slice(0, 160)}…` : clean;
}
