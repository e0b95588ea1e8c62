/**
 * JSON `check` findings: the LSP-style 0-based `range` as the editor uses it, and beside it the
 * 1-based `line` and `column` people and CI annotators read (the same numbers the text prints).
 */
import type { Finding } from '../analysis';

type Located = { range: Finding['range'] };

function lineColumn<T extends Located>(item: T): T & { line: number; column: number } {
  return { line: item.range.start.line + 1, column: item.range.start.character + 1, ...item };
}

export function withLineColumn(f: Finding) {
  return { ...lineColumn(f), related: f.related.map(lineColumn) };
}
