/**
 * Masking after an edit, re-scanning only the lines it touched. The mask keeps every offset and
 * line (mask.ts), and its scan carries no state between tokens but its position, so the new mask
 * is the old one up to the start of the edited line, a fresh scan from there, and the old one again
 * (shifted) from the first line start after the edit where the old scan stood between tokens. A
 * token that read across lines (a block comment, an annotation whose arguments span lines) is
 * re-scanned whole: the re-scan starts at the line of its first character.
 */
import { scanMask, blankSpans, type Annotation, type MaskLanguage, type MaskResult, type MaskSpan } from './mask';

/** One replaced range, in offsets of the text before (`start`, `oldEnd`) and after (`newEnd`). */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export interface Remasked {
  mask: MaskResult;
  /** The re-scanned window: [start, oldEnd) of the old text became [start, newEnd) of the new. */
  window: TextChange;
}

/** The mask of `source`, which is `previous`'s text with `change` applied (both masked as `lang`). */
export function remask(previous: MaskResult, source: string, change: TextChange, lang: MaskLanguage = 'c'): Remasked {
  const delta = change.newEnd - change.oldEnd;
  let start = lineStart(source, change.start);
  for (let span = spanHolding(previous.spans, start); span; span = spanHolding(previous.spans, start)) start = lineStart(source, span.start);
  const annotations: Annotation[] = [];
  const spans: MaskSpan[] = [];
  const end = scanMask(source, start, change.newEnd, (at) => !spanHolding(previous.spans, at - delta), annotations, spans, lang);
  const oldEnd = end - delta;
  const before = firstAtOrAfter(previous.annotations, start);
  const after = firstAtOrAfter(previous.annotations, oldEnd);
  const shifted = <T extends MaskSpan>(a: T): T => ({ ...a, start: a.start + delta, end: a.end + delta });
  const mask: MaskResult = {
    text: previous.text.slice(0, start) + blankSpans(source, annotations, start, end) + previous.text.slice(oldEnd),
    annotations: [...previous.annotations.slice(0, before), ...annotations, ...previous.annotations.slice(after).map(shifted)],
    spans: joined(previous.spans.slice(0, firstAtOrAfter(previous.spans, start)), spans, previous.spans.slice(firstAtOrAfter(previous.spans, oldEnd)).map(shifted)),
  };
  return { mask, window: { start, oldEnd, newEnd: end } };
}

/**
 * The spans of the three parts, kept disjoint: a token scanned just before the window's end may
 * have read past it, into the first old span after it.
 */
function joined(before: MaskSpan[], scanned: MaskSpan[], after: MaskSpan[]): MaskSpan[] {
  const out = before;
  const add = (span: MaskSpan) => {
    const last = out[out.length - 1];
    if (last && span.start < last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else out.push(span);
  };
  scanned.forEach(add);
  let k = 0;
  while (k < after.length && out.length > 0 && after[k].start < out[out.length - 1].end) add(after[k++]);
  return k === 0 ? out.concat(after) : out.concat(after.slice(k));
}

/** The offset just after the last line feed before `offset` (0 on the first line). */
function lineStart(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** The span that holds `at` strictly inside it (a re-scan cannot start there). */
function spanHolding(spans: MaskSpan[], at: number): MaskSpan | undefined {
  const i = firstAtOrAfter(spans, at) - 1;
  return i >= 0 && spans[i].end > at && spans[i].start < at ? spans[i] : undefined;
}

/** Index of the first item starting at or after `offset` (items sorted by start). */
function firstAtOrAfter(items: { start: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
