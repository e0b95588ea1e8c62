/**
 * What is under the cursor: the identifier (or number) at an offset, the field path it belongs to
 * (`dcc.ExtraCreateParameter`, `ctx->in.Location`), the declared types of the names in scope, and
 * the calls the cursor is inside with the active argument index. Works on the masked text (same
 * offsets as the user's text) and tolerates half-typed code: when the tree around the cursor is
 * broken, a bounded forward scan over the last ~2000 characters finds the open calls instead.
 */
import type { Node, ParsedText } from '../parsing/parser';
import { calleeName } from '../engine/relevance';

const WORD = /[A-Za-z0-9_]/;
const SCAN_WINDOW = 2000;

export interface SymbolAt {
  /** The word as written, e.g. `FltAllocateExtraCreateParameter`, `ecpList`, `0x10C`. */
  name: string;
  start: number;
  end: number;
  kind: 'identifier' | 'number';
  /** Set when the word is a field: the variable it is read from and the dotted field path. */
  field?: { base: string; path: string; operator: '.' | '->' };
}

/** The word touching `offset` (the cursor may sit just after it), or undefined. */
export function symbolAt(parsed: ParsedText, offset: number): SymbolAt | undefined {
  const text = parsed.masked;
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) return undefined;
  let start = offset;
  let end = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  while (end < text.length && WORD.test(text[end])) end++;
  if (start === end) return undefined;
  const name = text.slice(start, end);
  const kind = /^[0-9]/.test(name) ? 'number' : 'identifier';
  const hit: SymbolAt = { name, start, end, kind };
  if (kind === 'identifier') hit.field = fieldContext(parsed, start, end);
  return hit;
}

/** `base.a.b` / `base->a` when the word at [start, end) is a field of a variable. */
function fieldContext(parsed: ParsedText, start: number, end: number): SymbolAt['field'] {
  const node = parsed.tree.rootNode.descendantForIndex(start, end);
  if (node && node.type === 'field_identifier' && node.parent?.type === 'field_expression') {
    const parts = [node.text];
    let expr: Node | null = node.parent;
    let operator: '.' | '->' = '.';
    for (let guard = 0; expr && expr.type === 'field_expression' && guard < 16; guard++) {
      operator = expr.childForFieldName('operator')?.text === '->' ? '->' : '.';
      const arg: Node | null = expr.childForFieldName('argument');
      if (arg?.type === 'identifier') return { base: arg.text, path: parts.join('.'), operator };
      if (arg?.type !== 'field_expression') break;
      parts.unshift(arg.childForFieldName('field')?.text ?? '');
      expr = arg;
    }
    return undefined;
  }
  // Broken tree: a plain `name.` / `name->` just before the word.
  const m = /([A-Za-z_]\w*)\s*(\.|->)\s*$/.exec(parsed.masked.slice(Math.max(0, start - 200), start));
  return m ? { base: m[1], path: parsed.masked.slice(start, end), operator: m[2] as '.' | '->' } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Names in scope

export interface DeclaredName {
  name: string;
  /** Type as written with the declarator's stars, e.g. `PECP_LIST`, `CONTOSO_ECP_CONTEXT *`. */
  type: string;
  scope: 'global' | 'parameter' | 'local';
  start: number;
}

/** The function definition around `offset`, if the tree has one. */
export function enclosingFunction(parsed: ParsedText, offset: number): Node | undefined {
  let node: Node | null = parsed.tree.rootNode.descendantForIndex(Math.max(0, Math.min(offset, parsed.masked.length)));
  for (let guard = 0; node && guard < 10_000; guard++) {
    if (node.type === 'function_definition') return node;
    node = node.parent;
  }
  // Broken body: the last function that starts before the offset and whose body is still open.
  for (const fn of topLevel(parsed.tree.rootNode)) {
    if (fn.type === 'function_definition' && fn.startIndex <= offset && offset <= fn.endIndex) return fn;
  }
  return undefined;
}

/** Top-level nodes, looking through preprocessor conditionals and extern "C" blocks. */
export function topLevel(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  const containers = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'linkage_specification', 'declaration_list']);
  while (stack.length > 0 && out.length < 100_000) {
    const node = stack.pop()!;
    if (containers.has(node.type)) {
      for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
    } else out.push(node);
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/** Names declared by one declaration or parameter node, with their full types. */
function declaredBy(node: Node, scope: DeclaredName['scope']): DeclaredName[] {
  const base = node.childForFieldName('type')?.text.replace(/\s+/g, ' ').trim();
  if (!base) return [];
  const qualifiers = node.namedChildren.filter((c) => c?.type === 'type_qualifier').map((c) => c!.text);
  const out: DeclaredName[] = [];
  for (const child of node.childrenForFieldName('declarator')) {
    if (!child) continue;
    let d: Node | null = child;
    let stars = 0;
    for (let guard = 0; d && guard < 32; guard++) {
      if (d.type === 'identifier') {
        const type = `${qualifiers.includes('const') ? 'const ' : ''}${base}${stars ? ' ' + '*'.repeat(stars) : ''}`;
        out.push({ name: d.text, type, scope, start: d.startIndex });
        break;
      }
      if (d.type === 'pointer_declarator') stars++;
      if (d.type === 'array_declarator') stars++;
      if (d.type === 'function_declarator') break;
      d = d.childForFieldName('declarator');
    }
  }
  return out;
}

/** Globals of the file, parameters of the enclosing function and its locals declared before `offset`. */
export function namesInScope(parsed: ParsedText, offset: number): DeclaredName[] {
  const names: DeclaredName[] = [];
  for (const node of topLevel(parsed.tree.rootNode)) {
    if (node.type === 'declaration') names.push(...declaredBy(node, 'global'));
  }
  const fn = enclosingFunction(parsed, offset);
  if (!fn) return names;
  const declarator = functionDeclarator(fn);
  for (const p of declarator?.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type === 'parameter_declaration') names.push(...declaredBy(p, 'parameter'));
  }
  const body = fn.childForFieldName('body');
  if (!body) return names;
  const stack: Node[] = [body];
  let visited = 0;
  while (stack.length > 0 && visited++ < 50_000) {
    const node = stack.pop()!;
    if (node.startIndex >= offset) continue;
    if (node.type === 'declaration') {
      names.push(...declaredBy(node, 'local'));
      continue;
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const c = node.namedChild(i);
      if (c && c.type !== 'expression_statement') stack.push(c);
    }
  }
  return names;
}

export function functionDeclarator(fn: Node): Node | undefined {
  let d: Node | null = fn.childForFieldName('declarator');
  for (let guard = 0; d && guard < 32; guard++) {
    if (d.type === 'function_declarator') return d;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

/** The type a name was declared with where `offset` can see it (innermost declaration wins). */
export function declaredType(parsed: ParsedText, name: string, offset: number): DeclaredName | undefined {
  return namesInScope(parsed, offset).filter((d) => d.name === name).sort(innermostFirst)[0];
}

/** Every name `offset` can see, each by its innermost declaration. */
export function visibleDeclarations(parsed: ParsedText, offset: number): DeclaredName[] {
  const byName = new Map<string, DeclaredName>();
  for (const d of namesInScope(parsed, offset).sort(innermostFirst)) if (!byName.has(d.name)) byName.set(d.name, d);
  return [...byName.values()];
}

function innermostFirst(a: DeclaredName, b: DeclaredName): number {
  return scopeRank(a) - scopeRank(b) || b.start - a.start;
}

function scopeRank(d: DeclaredName): number {
  return d.scope === 'local' ? 0 : d.scope === 'parameter' ? 1 : 2;
}

// ---------------------------------------------------------------------------------------------
// Enclosing calls

export interface CallAt {
  /** Callee name, or null when the parenthesis does not follow a name (grouping, cast). */
  name: string | null;
  /** 0-based index of the argument the cursor is in. */
  argIndex: number;
  /** Offset of the `(`. */
  open: number;
  /** Offset where the active argument starts (after the `(` or the last comma). */
  argStart: number;
}

const NOT_CALLS = new Set(['if', 'while', 'for', 'switch', 'return', 'do', 'else', 'case']);

/** The calls around `offset`, innermost first. Empty when the cursor is in no parenthesis. */
export function callsAt(parsed: ParsedText, offset: number): CallAt[] {
  if (!Number.isInteger(offset) || offset < 0 || offset > parsed.masked.length) return [];
  const fromTree = callsFromTree(parsed, offset);
  return fromTree ?? callsFromText(parsed.masked, offset);
}

/** Undefined when the tree is broken around the cursor (then the text scan decides). */
function callsFromTree(parsed: ParsedText, offset: number): CallAt[] | undefined {
  const root = parsed.tree.rootNode;
  let node: Node | null = root.descendantForIndex(Math.max(0, offset - 1), offset);
  const calls: CallAt[] = [];
  for (let guard = 0; node && guard < 10_000; guard++) {
    if (node.type === 'ERROR' || node.isMissing) return undefined;
    if (node.type === 'argument_list' && node.parent?.type === 'call_expression') {
      // An empty argument (`(Filter, , &list)`) puts its comma in an ERROR child: count on the text.
      if (node.hasError) return undefined;
      const inside = offset > node.startIndex && (offset < node.endIndex || !closed(node));
      if (inside) calls.push(callFrom(node, offset));
    }
    node = node.parent;
  }
  // A missing `)` or `;` nearby is typical while typing; the tree then invents structure.
  const line = parsed.masked.slice(parsed.masked.lastIndexOf('\n', offset - 1) + 1, offset);
  if (calls.length === 0 && /\(/.test(line)) return undefined;
  return calls;
}

function closed(list: Node): boolean {
  const last = list.child(list.childCount - 1);
  return Boolean(last && last.type === ')' && !last.isMissing);
}

function callFrom(list: Node, offset: number): CallAt {
  const callee = calleeName(list.parent!);
  let argIndex = 0;
  let argStart = list.startIndex + 1;
  for (let i = 0; i < list.childCount; i++) {
    const c = list.child(i);
    if (!c || c.startIndex >= offset) break;
    if (c.type === ',') {
      argIndex++;
      argStart = c.endIndex;
    }
  }
  return { name: callee || null, argIndex, open: list.startIndex, argStart };
}

interface Frame {
  kind: '(' | '[' | '{';
  open: number;
  commas: number;
  argStart: number;
}

/** Forward scan of the last ~2000 characters: skips comments, strings and character literals. */
export function callsFromText(text: string, offset: number): CallAt[] {
  let i = Math.max(0, offset - SCAN_WINDOW);
  if (i > 0) {
    const eol = text.indexOf('\n', i);
    if (eol >= 0 && eol < offset) i = eol + 1; // start on a line boundary when the window has one
  }
  const stack: Frame[] = [];
  while (i < offset) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const eol = text.indexOf('\n', i);
      if (eol < 0 || eol >= offset) return []; // the cursor is in a comment
      i = eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > offset) return [];
      i = close + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = endOfLiteral(text, i, offset);
      if (close < 0) return [];
      i = close;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push({ kind: c, open: i, commas: 0, argStart: i + 1 });
    else if (c === ')' || c === ']') popTo(stack, c === ')' ? '(' : '[');
    else if (c === '}') popTo(stack, '{');
    else if (c === ',' && stack.length > 0) {
      const top = stack[stack.length - 1];
      top.commas++;
      top.argStart = i + 1;
    } else if (c === ';' && !inForHeader(text, stack)) {
      while (stack.length > 0 && stack[stack.length - 1].kind !== '{') stack.pop();
    }
    i++;
  }
  const calls: CallAt[] = [];
  for (let k = stack.length - 1; k >= 0 && stack[k].kind !== '{'; k--) {
    const f = stack[k];
    if (f.kind !== '(') continue;
    const name = /([A-Za-z_]\w*)\s*$/.exec(text.slice(Math.max(0, f.open - 128), f.open))?.[1] ?? null;
    calls.push({ name: name && !NOT_CALLS.has(name) ? name : null, argIndex: f.commas, open: f.open, argStart: f.argStart });
  }
  return calls;
}

function popTo(stack: Frame[], kind: Frame['kind']): void {
  for (let k = stack.length - 1; k >= 0; k--) {
    if (stack[k].kind === kind) {
      stack.length = k;
      return;
    }
    if (stack[k].kind === '{') return; // unbalanced: keep the block
  }
}

function inForHeader(text: string, stack: Frame[]): boolean {
  const top = stack[stack.length - 1];
  return top !== undefined && top.kind === '(' && /\bfor\s*$/.test(text.slice(Math.max(0, top.open - 16), top.open));
}

/** Index after the closing quote, or -1 when the literal runs to `limit` (cursor inside it). */
function endOfLiteral(text: string, start: number, limit: number): number {
  const quote = text[start];
  for (let i = start + 1; i < limit; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === '\n') return i; // unterminated on its line: give up on it
  }
  return -1;
}

/** True when `offset` is inside a comment, a string or a character literal. */
export function inCommentOrString(parsed: ParsedText, offset: number): boolean {
  const text = parsed.masked;
  const node = parsed.tree.rootNode.descendantForIndex(Math.max(0, offset - 1), offset);
  for (let n: Node | null = node, guard = 0; n && guard < 64; n = n.parent, guard++) {
    if (n.type === 'comment') return offset > n.startIndex && (offset < n.endIndex || n.text.startsWith('//'));
    if (n.type === 'string_literal' || n.type === 'char_literal' || n.type === 'system_lib_string') {
      return offset > n.startIndex && offset < n.endIndex;
    }
  }
  // The tree may be broken: a `//` earlier on the same line also means a comment.
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, offset);
  return /^[^"']*\/\//.test(line) || (line.split('"').length - 1) % 2 === 1;
}
