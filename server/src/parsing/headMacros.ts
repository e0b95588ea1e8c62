/**
 * Words in front of a function's return type that only a macro can explain: a section or
 * declspec macro of the project (`PAGED_SECTION NTSTATUS F(...)`), an annotation macro with
 * arguments the mask does not know (`MY_IRQL(APC_LEVEL) NTSTATUS F(...)`). A compiler expands
 * them to decorations; tree-sitter reads `A B F(...)` as an error and loses the function. Parse
 * recovery blanks them in the heads of functions it lost (recover.ts).
 */
import type { Chunk } from './chunks';

/** Words a C or C++ declaration head may hold besides type names. */
const HEAD_KEYWORDS = new Set([
  'static', 'inline', 'extern', 'const', 'volatile', 'unsigned', 'signed', 'long', 'short', 'int', 'char',
  'void', 'float', 'double', 'register', 'struct', 'union', 'enum', 'class', 'virtual', 'explicit',
  'constexpr', 'friend', 'typename', 'auto', 'bool', '_Bool', '__inline', '__forceinline', 'noexcept',
]);

/** The names `#define NAME ...` gives an object-like macro in the text. */
export function objectMacroNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])/gm)) names.add(m[1]);
  return names;
}

interface Word {
  text: string;
  start: number;
  end: number;
  /** Followed by a parenthesised argument list (a macro call). */
  call: boolean;
}

/**
 * The spans to blank in the head of `chunk` (a function the grammar lost): macro calls before the
 * function's name, words the text defines as object-like macros, and, when more than one type
 * word is still left (two identifiers in a row are an error in C), every one but the last (the
 * return type). Nothing for heads this scan does not understand (C++ qualified names, templates,
 * preprocessor lines).
 */
export function headMacroSpans(text: string, chunk: Chunk, macros: Set<string>): { start: number; end: number }[] {
  const nameEnd = paramsOpen(text, chunk.open);
  if (nameEnd < 0) return [];
  let nameStart = nameEnd;
  while (nameStart > chunk.start && /\w/.test(text[nameStart - 1])) nameStart--;
  if (nameStart === nameEnd) return [];
  const words = headWords(text, chunk.start, nameStart);
  if (!words) return [];
  const blanks = words.filter((w) => w.call);
  let types = words.filter((w) => !w.call && !HEAD_KEYWORDS.has(w.text));
  const unknown = types.filter((w) => !macros.has(w.text));
  // The file's own macros go first; the return type stays, even if it is one of them.
  if (unknown.length > 0) {
    blanks.push(...types.filter((w) => macros.has(w.text)));
    types = unknown;
  }
  blanks.push(...types.slice(0, -1));
  return blanks.map((w) => ({ start: w.start, end: w.end }));
}

/** Offset of the name's end: the `(` of the parameter list closed right before the body's `{`. */
function paramsOpen(text: string, open: number): number {
  let i = open - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (text[i] !== ')') return -1;
  let depth = 0;
  for (; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) break;
  }
  if (i < 0) return -1;
  i--;
  while (i >= 0 && /[ \t]/.test(text[i])) i--;
  return i + 1;
}

/** The identifiers of [start, end), or undefined when anything but words, `*`, `&` and calls stands there. */
function headWords(text: string, start: number, end: number): Word[] | undefined {
  const words: Word[] = [];
  let i = start;
  while (i < end) {
    const ch = text[i];
    if (/\s|\*|&/.test(ch)) {
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < end && /\w/.test(text[j])) j++;
      const word: Word = { text: text.slice(i, j), start: i, end: j, call: false };
      let k = j;
      while (k < end && /[ \t]/.test(text[k])) k++;
      if (text[k] === '(') {
        const close = closeParen(text, k, end);
        if (close < 0) return undefined;
        word.call = true;
        word.end = j = close + 1;
      }
      words.push(word);
      i = j;
    } else {
      return undefined;
    }
  }
  return words;
}

function closeParen(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
