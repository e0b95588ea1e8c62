/** Lines as LSP and `TextDocument` count them: `\n`, `\r\n` and a lone `\r` each end a line. */
export const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/** One line (0-based) without splitting the whole text; '' past the end. */
export function lineText(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const at = nextBreak(text, start);
    if (at < 0) return '';
    start = at + (text[at] === '\r' && text[at + 1] === '\n' ? 2 : 1);
  }
  const end = nextBreak(text, start);
  return text.slice(start, end < 0 ? text.length : end);
}

function nextBreak(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (cr < 0) return lf;
  return lf < 0 ? cr : Math.min(cr, lf);
}

/** The line break the text uses first ('\n' when it has none), for text inserted by edits. */
export function eolOf(text: string): string {
  const m = LINE_BREAK.exec(text);
  return m ? m[0] : '\n';
}
