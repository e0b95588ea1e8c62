/** Applies a quick fix's edits to a text, as an editor would (edits never overlap). */
import type { TextFix, Range0 } from '../../../server/src/analysis';

function offsetAt(lines: string[], pos: Range0['start']): number {
  let offset = 0;
  for (let i = 0; i < pos.line; i++) offset += lines[i].length + 1;
  return offset + pos.character;
}

export function applyFix(source: string, fix: TextFix): string {
  const lines = source.split('\n');
  const edits = fix.edits
    .map((e) => ({ start: offsetAt(lines, e.range.start), end: offsetAt(lines, e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let text = source;
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}
