/**
 * Parse recovery. When tree-sitter folds function definitions into ERROR nodes (a file-scope macro
 * that declares an enum, an unknown declaration macro, a half-written function whose body never
 * closes), the functions the lexical scan (chunks.ts) finds intact are recovered: the text given to
 * tree-sitter is blanked (offsets kept) where a macro block or an unclosed body stands, then, if a
 * function is still lost, where the declarations before it stand, and the text is parsed again.
 * What still cannot be read is returned as unparsed regions, for coverage reporting.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { scanChunks, type Chunk } from './chunks';
import { headMacroSpans, objectMacroNames } from './headMacros';

export interface UnparsedRegion {
  /** 0-based line of the function's name (of the region's first character when none shows). */
  line: number;
  start: number;
  end: number;
  /** The function's name when the head shows it. */
  name: string | null;
  /** `unclosed`: the body never closes; `parse-error`: the grammar could not read it. */
  reason: 'unclosed' | 'parse-error';
}

export interface Recovery {
  /** The text to parse instead (same length, blanked where it cannot be read). */
  text: string;
  /** Function-like regions that stay unread. */
  unparsed: UnparsedRegion[];
  /** Where `text` was blanked, [start, end) sorted (an edit must tell tree-sitter these changed). */
  blanked: { start: number; end: number }[];
}

/** How many extra parses recovery may spend on one text. */
const MAX_PASSES = 2;

/**
 * Re-parses `masked` as often as needed (at most MAX_PASSES more times) and returns the final tree
 * with what it could not read; undefined when the first tree already holds every function.
 */
export function recoverFunctions(masked: string, first: Tree, parse: (text: string, blanked: { start: number; end: number }[]) => Tree): { tree: Tree; recovery: Recovery } | undefined {
  if (!first.rootNode.hasError) return undefined;
  const chunks = scanChunks(masked);
  const broken = chunks.filter((c) => c.kind !== 'function');
  let lost = lostFunctions(chunks, first);
  if (lost.length === 0 && broken.length === 0) return undefined;
  let text = masked;
  const blanked: { start: number; end: number }[] = [];
  const blank = (from: string, start: number, end: number, keepDirectives = false) => {
    if (end > start) blanked.push({ start, end });
    return blankText(from, start, end, keepDirectives);
  };
  // A macro block goes; an unclosed body keeps its text (completion and hover still read it)
  // but loses the braces that never close, so the next functions stand on their own.
  for (const c of broken) {
    if (c.kind === 'macro-block') text = blank(text, c.start, c.end);
    else for (const at of c.unmatched ?? []) text = blank(text, at, at + 1);
  }
  let tree: Tree | undefined;
  let macros: Set<string> | undefined;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    tree?.delete();
    tree = parse(text, mergeSpans(blanked));
    lost = lostFunctions(chunks, tree);
    if (lost.length === 0 || pass === MAX_PASSES - 1) break;
    // Something before each lost function hides it: blank the declarations in between (and an
    // unclosed body right before it, which the grammar still reads as swallowing it).
    // A macro in the head itself (a section or annotation macro before the return type) goes too.
    macros ??= objectMacroNames(masked);
    for (const c of lost) {
      const prev = chunks[chunks.indexOf(c) - 1];
      text = blank(text, prev ? (prev.kind === 'unclosed' ? prev.start : prev.end) : 0, c.start, true);
      for (const span of headMacroSpans(text, c, macros)) text = blank(text, span.start, span.end);
    }
  }
  const unparsed: UnparsedRegion[] = [
    ...broken.filter((c) => c.kind === 'unclosed').map((c) => region(masked, c, 'unclosed')),
    ...lost.map((c) => region(masked, c, 'parse-error')),
  ].sort((a, b) => a.start - b.start);
  return { tree: tree!, recovery: { text, unparsed, blanked: mergeSpans(blanked) } };
}

/**
 * Function chunks the tree does not hold as a definition with exactly that body, starting no
 * earlier than the chunk's head (C reads `MACRO(x) NTSTATUS F(void) {` as an old-style definition
 * of `MACRO`).
 */
function lostFunctions(chunks: Chunk[], tree: Tree): Chunk[] {
  const bodies = new Map<number, { end: number; start: number }>();
  for (const fn of tree.rootNode.descendantsOfType('function_definition')) {
    // A definition with errors inside its body is still there (half-typed code is handled apart).
    // An error in the head (`MACRO NTSTATUS F(...)`) loses the function all the same.
    const body = fn?.childForFieldName('body');
    if (body && isIntactDefinition(fn!)) bodies.set(body.startIndex, { end: body.endIndex, start: fn!.startIndex });
  }
  const intact = (c: Chunk) => {
    const found = bodies.get(c.open);
    return found !== undefined && found.end === c.end && found.start >= c.start;
  };
  return chunks.filter((c) => c.kind === 'function' && !intact(c));
}

/**
 * A definition the file model can use wherever it stands (even inside an ERROR region): a real
 * function head, a body, and no error outside the body.
 */
export function isIntactDefinition(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  return body !== null && declaresFunction(fn) && !fn.children.some((c) => c !== null && c.id !== body.id && c.hasError);
}

/** `F(void)` read as a parenthesised declarator of a type named like the function is no function. */
function declaresFunction(fn: Node): boolean {
  let d = fn.childForFieldName('declarator');
  for (let guard = 0; d && guard < 16; guard++) {
    if (d.type === 'function_declarator') return true;
    d = d.type === 'reference_declarator' ? d.namedChild(0) : d.childForFieldName('declarator');
  }
  return false;
}

/** The region of a chunk, on the line of its name (where the head shows it). */
function region(text: string, c: Chunk, reason: UnparsedRegion['reason']): UnparsedRegion {
  const at = c.name ? text.indexOf(c.name.replace(/::/g, ''), c.start) : -1;
  return { line: lineOf(text, at >= c.start && at < c.open ? at : c.start), start: c.start, end: c.end, name: c.name, reason };
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

function mergeSpans(spans: { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Spaces over [start, end), line breaks kept; with `keepDirectives`, preprocessor lines stay. */
function blankText(text: string, start: number, end: number, keepDirectives = false): string {
  const span = text.slice(start, end);
  const blanked = span.replace(/[^\r\n]+/g, (line, at: number) => {
    if (keepDirectives && /^\s*#/.test(line) && (at === 0 ? start === 0 || /[\r\n]/.test(text[start - 1]) : true)) return line;
    return ' '.repeat(line.length);
  });
  return text.slice(0, start) + blanked + text.slice(end);
}
