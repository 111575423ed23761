/** Close codes of a normal end (normal, going away, no code): `messages$` completes; any other code errors it. */
export const NORMAL_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1001, 1005]);

/** Whether a close frame may carry `code` (1004-1006 and 1015 are reserved for reporting, never sent). */
export function sendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
