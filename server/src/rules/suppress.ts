/**
 * Suppression comments:
 *   // ecp-lens-ignore-next-line CODE[, CODE]   the findings of these rules on the next line
 *   // ecp-lens-ignore-file CODE[, CODE]        the findings of these rules anywhere in the file
 */
import { splitLines } from '../util/lines';
const NEXT_LINE = /\/[/*]\s*ecp-lens-ignore-next-line\s+([\w\-,\s]+)/;
const FILE = /\/[/*]\s*ecp-lens-ignore-file\s+([\w\-,\s]+)/;

export interface Suppressions {
  isSuppressed(code: string, line: number): boolean;
}

function codes(list: string): string[] {
  return list.split(/[,\s]+/).map((c) => c.trim()).filter((c) => c.startsWith('ecp-'));
}

export function suppressions(source: string): Suppressions {
  const byLine = new Map<number, Set<string>>();
  const fileWide = new Set<string>();
  if (!source.includes('ecp-lens-ignore')) return { isSuppressed: () => false };
  const lines = splitLines(source);
  lines.forEach((text, i) => {
    if (!text.includes('ecp-lens-ignore')) return;
    const next = NEXT_LINE.exec(text);
    if (next) byLine.set(i + 1, new Set(codes(next[1])));
    const file = FILE.exec(text);
    if (file) for (const c of codes(file[1])) fileWide.add(c);
  });
  return {
    isSuppressed: (code, line) => fileWide.has(code) || Boolean(byLine.get(line)?.has(code)),
  };
}
