/** Lines as LSP and `TextDocument` count them: `\n`, `\r\n` and a lone `\r` each end a line. */
export const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/**
 * One line (0-based) without splitting the whole text; '' past the end. The starts of the lines of
 * the last text asked about are kept, so the many look-ups of one analysis scan it once.
 */
export function lineText(text: string, line: number): string {
  const starts = lineStarts(text);
  if (line < 0 || line >= starts.length) return '';
  const start = starts[line];
  const end = nextBreak(text, start);
  return text.slice(start, end < 0 ? text.length : end);
}

let indexedText: string | undefined;
let indexedStarts: number[] = [];

/** The offset where each line starts (kept for the last text asked about). */
export function lineStarts(text: string): number[] {
  if (text === indexedText) return indexedStarts;
  const starts = [0];
  for (let at = nextBreak(text, 0); at >= 0; at = nextBreak(text, starts[starts.length - 1])) {
    starts.push(at + (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1));
  }
  indexedText = text;
  indexedStarts = starts;
  return starts;
}

/** The next CR or LF at or after `from`, -1 when none. */
function nextBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** The line break the text uses first ('\n' when it has none), for text inserted by edits. */
export function eolOf(text: string): string {
  const m = LINE_BREAK.exec(text);
  return m ? m[0] : '\n';
}
