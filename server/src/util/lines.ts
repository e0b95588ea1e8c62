/** Lines as LSP and `TextDocument` count them: `\n`, `\r\n` and a lone `\r` each end a line. */
export const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/** One line (0-based) without splitting the whole text; '' past the end. One pass up to the line. */
export function lineText(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const at = nextBreak(text, start);
    if (at < 0) return '';
    start = at + (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1);
  }
  const end = nextBreak(text, start);
  return text.slice(start, end < 0 ? text.length : end);
}

/** The next CR or LF at or after `from`, -1 when none (reads only up to it: linear over a walk). */
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
