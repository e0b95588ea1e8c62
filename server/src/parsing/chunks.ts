/**
 * A lexical scan of a (masked) C or C++ text into its top-level chunks, by balanced braces: the
 * function definitions, the other declarations, and the `namespace`/`extern "C"` blocks seen
 * through. It needs no grammar, so it still finds the functions of a file tree-sitter could not
 * read: parse recovery (recover.ts) re-parses what it finds.
 */

export type ChunkKind =
  /** `T F(...) { ... }`: a function definition with balanced braces. */
  | 'function'
  /** `MACRO(args) { ... };` at file scope: a macro that declares something (an enum, a table). */
  | 'macro-block'
  /** A function head whose body never closes before the next function head (half-written code). */
  | 'unclosed';

export interface Chunk {
  kind: ChunkKind;
  /** Offset of the first character of the head. */
  start: number;
  /** Offset of the body's `{`. */
  open: number;
  /** Offset just past the closing `}` (for `unclosed`: where the next head starts). */
  end: number;
  /** The function's (or macro's) name as written before the parameter list, when visible. */
  name: string | null;
  /** For `unclosed`: the offsets of the braces that never close (the body's own first). */
  unmatched?: number[];
}

interface Brace {
  kind: 'scope' | 'function' | 'other';
  at: number;
  chunk?: Chunk;
}

const NOT_HEADS = new Set(['if', 'while', 'for', 'switch', 'return', 'else', 'do', 'case', 'goto', 'sizeof', 'typedef', 'struct', 'union', 'enum', 'class']);

/** Every function-like chunk of the text, in order. Linear in the text's length. */
export function scanChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const stack: Brace[] = [];
  const n = text.length;
  let headStart = -1; // start of the current top-level chunk's text
  // Braces on the stack that are not namespace/extern "C" scopes: at top level when none. Kept as
  // a count so the test costs nothing per character (this scan runs on every parse with errors).
  let bodies = 0;
  const push = (b: Brace) => {
    stack.push(b);
    if (b.kind !== 'scope') bodies++;
  };
  const pop = () => {
    const b = stack.pop();
    if (b && b.kind !== 'scope') bodies--;
    return b;
  };
  const atTop = () => bodies === 0;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      i = lineEnd(text, i) - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 1;
    } else if (c === '"' || c === "'") {
      i = quotedEnd(text, i) - 1;
    } else if (c === '#' && isLineStart(text, i)) {
      i = directiveEnd(text, i) - 1;
    } else if (c === '{') {
      if (atTop()) {
        const head = headStart >= 0 ? text.slice(headStart, i) : '';
        const chunk = headStart >= 0 ? functionChunk(head, headStart, i) : undefined;
        if (chunk) push({ kind: 'function', at: i, chunk });
        else if (/(\bnamespace\b[\w\s:]*|\bextern\s*"C(\+\+)?"\s*)$/.test(head.trimEnd())) {
          push({ kind: 'scope', at: i });
          headStart = -1;
        } else push({ kind: 'other', at: i });
      } else push({ kind: 'other', at: i });
    } else if (c === '}') {
      const top = pop();
      if (top?.kind === 'function' && atTop()) {
        top.chunk!.end = i + 1;
        chunks.push(top.chunk!);
        headStart = -1;
      } else if (top?.kind === 'scope') headStart = -1;
    } else if (c === ';' && atTop()) {
      headStart = -1;
    } else if (!atTop() && isLineStart(text, i) && isWordStart(c) && insideFunction(stack, text) && looksLikeHead(text, i)) {
      // A column-0 function head inside a body: that body never closed.
      const open = stack.findIndex((b) => b.kind === 'function');
      chunks.push(unclosed(stack, open, i));
      stack.length = open;
      bodies = stack.filter((b) => b.kind !== 'scope').length;
      headStart = i;
    } else if (headStart < 0 && atTop() && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && !/\s/.test(c)) {
      headStart = i;
    }
  }
  const open = stack.findIndex((b) => b.kind === 'function');
  if (open >= 0) chunks.push(unclosed(stack, open, n));
  return chunks;
}

function unclosed(stack: Brace[], open: number, end: number): Chunk {
  return { ...stack[open].chunk!, kind: 'unclosed', end, unmatched: stack.slice(open).map((b) => b.at) };
}

const WORDS = /~?[A-Za-z_]\w*(\s*::\s*~?[A-Za-z_]\w*)*|[*&]/g;

/**
 * The chunk a head introduces, when it is a function head (or a macro with a body). The parameter
 * list is the first parenthesis after a type and a name (or after a qualified name); what comes
 * before it (`MACRO(args)` with no semicolon) is left out of the chunk, so recovery can blank it.
 */
function functionChunk(head: string, start: number, open: number): Chunk | undefined {
  const groups = parenGroups(head);
  if (!groups) return undefined;
  for (const g of groups) {
    const words = head.slice(g.from, g.open).match(WORDS) ?? [];
    const first = words[0];
    const last = words[words.length - 1];
    if (first === undefined || last === undefined || NOT_HEADS.has(first)) return undefined;
    if (words.length >= 2 || last.includes('::') || last.startsWith('~')) {
      const lead = head.slice(g.from).search(/\S/);
      return { kind: 'function', start: start + g.from + Math.max(0, lead), open, end: open, name: last.replace(/\s+/g, '') };
    }
  }
  const only = groups[0];
  const name = (head.slice(0, only.open).match(WORDS) ?? [])[0];
  if (!name) return undefined;
  const macroLike = /^[A-Z_][A-Z0-9_]*$/.test(name) && groups.length === 1;
  return { kind: macroLike ? 'macro-block' : 'function', start, open, end: open, name };
}

/**
 * The top-level parenthesis groups of a head, each with where the words before it start; none when
 * the head has an `=` outside brackets (an initialiser) or no parenthesis.
 */
function parenGroups(head: string, angles = true): { from: number; open: number }[] | undefined {
  const groups: { from: number; open: number }[] = [];
  let angle = 0;
  let depth = 0;
  let from = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '=' && angle === 0 && depth === 0) return undefined;
    if (c === '<' && depth === 0 && angles) angle++;
    else if (c === '>' && angle > 0 && depth === 0) angle--;
    else if (c === '(' && angle === 0) {
      if (depth === 0) groups.push({ from, open: i });
      depth++;
    } else if (c === ')' && depth > 0 && --depth === 0) from = i + 1;
  }
  // A `<` that never closes is a comparison or stray text, not a template argument list.
  if (angle > 0) return parenGroups(head, false);
  return groups.length > 0 ? groups : undefined;
}

/** Only bodies whose own head starts a line are cut at the next column-0 head (the file's style). */
function insideFunction(stack: Brace[], text: string): boolean {
  return stack.some((b) => b.kind === 'function' && b.chunk !== undefined && isLineStart(text, b.chunk.start));
}

/** `T F(...)` followed by `{` before any `;`: a function head starting at `i`. */
function looksLikeHead(text: string, i: number): boolean {
  const lineStop = lineEnd(text, i);
  const firstLine = text.slice(i, lineStop);
  if (/^\w+\s*:(?!:)/.test(firstLine)) return false; // a label
  const limit = Math.min(text.length, i + 600);
  let depth = 0;
  for (let j = i; j < limit; j++) {
    const c = text[j];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ';' || c === '}' || (c === '=' && depth === 0)) return false;
    else if (c === '{') return depth === 0 && functionChunk(text.slice(i, j), i, j)?.kind === 'function';
  }
  return false;
}

function isLineStart(text: string, i: number): boolean {
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r';
}

function isWordStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}

function lineEnd(text: string, i: number): number {
  for (let j = i; j < text.length; j++) if (text[j] === '\n' || text[j] === '\r') return j;
  return text.length;
}

function directiveEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    const end = lineEnd(text, j);
    if (end > 0 && text[end - 1] === '\\' && end < text.length) {
      j = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
      continue;
    }
    return end;
  }
}

function quotedEnd(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === quote || c === '\n') return j + 1;
  }
  return text.length;
}
