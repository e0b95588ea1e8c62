/**
 * The result cell of one systematic fault path, the same in the terminal and the panel: a path
 * that stopped at a bug check is not "clean", whatever it had freed before it stopped.
 */
export function exploredResult(path: { leaks: number; bugCheck: unknown }): string {
  if (path.leaks > 0) return `${path.leaks.toLocaleString('en-US')} leaked`;
  return path.bugCheck ? 'bug check' : 'clean';
}
