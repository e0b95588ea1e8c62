/**
 * What one file tells the lifecycle rules about the driver's entry points: the `FLT_REGISTRATION`
 * initialisers (their unload callback), the `FLT_OPERATION_REGISTRATION` arrays (which callback
 * runs for which major function) and the `DriverObject->MajorFunction[...] = F` assignments.
 * Plain JSON, so the workspace index can keep it per file.
 */
import type { Node, Tree } from '../parsing/parser';
import { activeChildren, inTakenArms } from '../engine/fileModel';
import { ppDirectiveTaken, type PpScope } from '../engine/preprocessor';

/** A range in the file the facts came from (0-based). */
export interface FactSite {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export interface UnloadRegistration {
  /** The FLT_REGISTRATION variable. */
  registration: string;
  /** Its FilterUnloadCallback. */
  unload: string;
  site: FactSite;
}

export interface OperationEntry {
  /** `IRP_MJ_READ`, ... as written. */
  major: string;
  /** PreOperation and PostOperation callbacks that are named (not NULL). */
  callbacks: string[];
  /** How it was registered, for the message. */
  via: 'operation' | 'dispatch';
  site: FactSite;
}

export interface LifecycleFacts {
  unloads: UnloadRegistration[];
  /** Operation registrations and dispatch assignments; `major` is `*` for a loop over all of them. */
  operations: OperationEntry[];
}

/** IRP_MJ_ codes 0..27 (wdm.h), for indexes and cases written as numbers. */
const MAJOR_CODES = ['CREATE', 'CREATE_NAMED_PIPE', 'CLOSE', 'READ', 'WRITE', 'QUERY_INFORMATION', 'SET_INFORMATION', 'QUERY_EA', 'SET_EA', 'FLUSH_BUFFERS', 'QUERY_VOLUME_INFORMATION', 'SET_VOLUME_INFORMATION', 'DIRECTORY_CONTROL', 'FILE_SYSTEM_CONTROL', 'DEVICE_CONTROL', 'INTERNAL_DEVICE_CONTROL', 'SHUTDOWN', 'LOCK_CONTROL', 'CLEANUP', 'CREATE_MAILSLOT', 'QUERY_SECURITY', 'SET_SECURITY', 'POWER', 'SYSTEM_CONTROL', 'DEVICE_CHANGE', 'QUERY_QUOTA', 'SET_QUOTA', 'PNP'];

/** `IRP_MJ_READ` for `IRP_MJ_READ`, `3` or `0x3`; undefined for anything else. */
export function majorName(text: string): string | undefined {
  const t = text.trim();
  if (/^IRP_MJ_\w+$/.test(t)) return t;
  if (!/^(0x[0-9a-f]+|\d+)u?$/i.test(t)) return undefined;
  const code = MAJOR_CODES[parseInt(t, t.toLowerCase().startsWith('0x') ? 16 : 10)];
  return code ? `IRP_MJ_${code}` : undefined;
}


/**
 * The fields of `FLT_REGISTRATION` in declaration order (fltKernel.h): a positional initialiser
 * names the unload callback in the sixth place.
 */
const REGISTRATION_FIELDS = ['Size', 'Version', 'Flags', 'ContextRegistration', 'OperationRegistration', 'FilterUnloadCallback'];
/** `FLT_OPERATION_REGISTRATION`: MajorFunction, Flags, PreOperation, PostOperation, Reserved1. */
const OPERATION_FIELDS = ['MajorFunction', 'Flags', 'PreOperation', 'PostOperation'];

const CONTAINERS = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list', 'namespace_definition']);

/**
 * `pp`: the file's build view (its model's); with it, `#if` arms the build leaves out register
 * nothing, as the compiler sees it. Without it (or when the build does not tell) each arm counts.
 */
export function lifecycleFactsOf(tree: Tree, text: string, pp?: PpScope): LifecycleFacts {
  const facts: LifecycleFacts = { unloads: [], operations: [] };
  // The plain word first: a regex with a leading \b runs over the whole text when it is absent.
  if (text.includes('REGISTRATION') && /\bFLT_(OPERATION_)?REGISTRATION\b/.test(text)) {
    const stack: Node[] = [tree.rootNode];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (CONTAINERS.has(node.type)) {
        const children = node.type.startsWith('preproc') ? activeChildren(node, pp) : node.namedChildren.filter((c): c is Node => c !== null);
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      } else if (node.type === 'declaration') {
        readDeclaration(node, facts, pp);
      }
    }
  }
  if (text.includes('MajorFunction') && /\bMajorFunction\s*\[/.test(text)) {
    for (const a of tree.rootNode.descendantsOfType('assignment_expression')) if (a && inTakenArms(a, pp)) readDispatch(a, facts);
  }
  return facts;
}

function readDeclaration(node: Node, facts: LifecycleFacts, pp: PpScope | undefined): void {
  for (const d of node.childrenForFieldName('declarator')) {
    if (d?.type !== 'init_declarator') continue;
    const value = d.childForFieldName('value');
    if (value?.type !== 'initializer_list') continue;
    // `CONST` (a macro the grammar does not know) puts the type or the name in an ERROR node: read
    // the text before the initialiser.
    const head = node.text.slice(0, value.startIndex - node.startIndex);
    const name = /([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*=\s*$/.exec(head)?.[1];
    if (!name) continue;
    const broken = value.hasError || value.namedChildren.some((c) => c?.type.startsWith('preproc'));
    if (/\bFLT_REGISTRATION\b/.test(head)) {
      if (broken) {
        const item = textualItems(value, pp)[REGISTRATION_FIELDS.indexOf('FilterUnloadCallback')];
        if (item && /^[A-Za-z_]\w*$/.test(item.text) && item.text !== 'NULL') facts.unloads.push({ registration: name, unload: item.text, site: item.site });
        continue;
      }
      const unload = fieldValue(value, REGISTRATION_FIELDS, 'FilterUnloadCallback');
      const callee = unload && functionName(unload);
      if (callee) facts.unloads.push({ registration: name, unload: callee, site: siteOf(unload) });
    } else if (/\bFLT_OPERATION_REGISTRATION\b/.test(head)) {
      if (broken) {
        facts.operations.push(...textualOperations(value, pp));
        continue;
      }
      for (const entry of value.namedChildren) {
        if (entry?.type !== 'initializer_list') continue;
        const major = fieldValue(entry, OPERATION_FIELDS, 'MajorFunction')?.text;
        if (!major || major === 'IRP_MJ_OPERATION_END') continue;
        const callbacks = ['PreOperation', 'PostOperation'].map((f) => fieldValue(entry, OPERATION_FIELDS, f)).map((n) => n && functionName(n)).filter((n): n is string => Boolean(n));
        if (callbacks.length > 0) facts.operations.push({ major, callbacks, via: 'operation', site: siteOf(entry) });
      }
    }
  }
}

/** `X->MajorFunction[IRP_MJ_READ] = Dispatch;` (a non-constant index: every major function). */
function readDispatch(a: Node, facts: LifecycleFacts): void {
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  if (left?.type !== 'subscript_expression' || !right) return;
  const array = left.childForFieldName('argument');
  if (array?.type !== 'field_expression' || array.childForFieldName('field')?.text !== 'MajorFunction') return;
  const index = left.childForFieldName('index')?.text.trim() ?? '';
  const callee = functionName(right);
  if (!callee) return;
  facts.operations.push({ major: majorName(index) ?? '*', callbacks: [callee], via: 'dispatch', site: siteOf(a) });
}

/**
 * A positional initialiser the grammar could not read whole (`#if` arms between the items): the
 * items of its text with the first arm of each `#if` kept, comments dropped, split at top-level
 * commas. Offsets are kept (blanked, not removed), so each item has its place.
 */
function textualItems(list: Node, pp: PpScope | undefined): { text: string; site: FactSite }[] {
  const text = blankedText(list, pp);
  const items: { text: string; site: FactSite }[] = [];
  let depth = 0;
  let start = 1;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === ']' || (c === '}' && depth > 0)) depth--;
    else if ((c === ',' && depth === 0) || (c === '}' && depth === 0)) {
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      if (raw.trim()) items.push({ text: raw.trim(), site: spanSite(list, start + lead, start + lead + raw.trim().length) });
      start = i + 1;
      if (c === '}') break;
    }
  }
  return items;
}

/** `{ IRP_MJ_X, Flags, Pre, Post }` entries found in the text of an array the grammar could not read whole. */
function textualOperations(list: Node, pp: PpScope | undefined): OperationEntry[] {
  const text = blankedText(list, pp);
  const out: OperationEntry[] = [];
  const entry = /\{\s*(IRP_MJ_\w+)\s*,[^,{}]*,\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*(?:,\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*))?[^{}]*\}/g;
  for (const m of text.matchAll(entry)) {
    if (m[1] === 'IRP_MJ_OPERATION_END') continue;
    const callbacks = [m[2], m[3]].filter((n): n is string => Boolean(n) && n !== 'NULL');
    if (callbacks.length > 0) out.push({ major: m[1], callbacks, via: 'operation', site: spanSite(list, m.index!, m.index! + m[0].length) });
  }
  return out;
}

/**
 * The list's text with comments, directive lines and the arms the build leaves out blanked with
 * spaces (newlines and offsets kept). An `#if` the build decides (`pp`, read at the directive's
 * place in the file) keeps its taken arm; one it does not decide keeps its first arm.
 */
function blankedText(list: Node, pp: PpScope | undefined): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const lines = list.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, blank).split('\n');
  /** Per open `#if`: its current arm is kept (`taking`), an earlier arm was (`done`), or none yet (`waiting`). */
  const frames: ('taking' | 'done' | 'waiting')[] = [];
  const decide = (offset: number): 'taking' | 'waiting' => (pp && ppDirectiveTaken(pp, offset) === false ? 'waiting' : 'taking');
  let offset = list.startIndex;
  for (let i = 0; i < lines.length; offset += lines[i].length + 1, i++) {
    const d = /^\s*#\s*(\w+)/.exec(lines[i])?.[1];
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') frames.push(decide(offset));
    else if ((d === 'elif' || d === 'elifdef' || d === 'elifndef') && frames.length > 0) frames[frames.length - 1] = frames[frames.length - 1] === 'waiting' ? decide(offset) : 'done';
    else if (d === 'else' && frames.length > 0) frames[frames.length - 1] = frames[frames.length - 1] === 'waiting' ? 'taking' : 'done';
    else if (d === 'endif') frames.pop();
    if (d || frames.some((f) => f !== 'taking')) lines[i] = blank(lines[i]);
  }
  return lines.join('\n');
}

function spanSite(list: Node, from: number, to: number): FactSite {
  const at = (offset: number) => {
    const before = list.text.slice(0, offset).split('\n');
    const line = list.startPosition.row + before.length - 1;
    const character = before.length === 1 ? list.startPosition.column + offset : before[before.length - 1].length;
    return { line, character };
  };
  const a = at(from);
  const b = at(to);
  return { line: a.line, character: a.character, endLine: b.line, endCharacter: b.character };
}

/** The value given to `field`, by designator (`.F = v`) or by position. */
function fieldValue(list: Node, order: string[], field: string): Node | undefined {
  const items = list.namedChildren.filter((c): c is Node => Boolean(c) && c!.type !== 'comment');
  if (items.some((c) => c.type === 'initializer_pair')) {
    const pair = items.find((c) => c.type === 'initializer_pair' && c.childForFieldName('designator')?.text.replace(/^\./, '').trim() === field);
    return pair?.childForFieldName('value') ?? undefined;
  }
  return items[order.indexOf(field)];
}

/** `F`, `(PFLT_PRE_OPERATION_CALLBACK)F`, `&F`; NULL and anything else: none. */
function functionName(node: Node): string | undefined {
  let n: Node | null = node;
  while (n && (n.type === 'cast_expression' || n.type === 'parenthesized_expression' || (n.type === 'pointer_expression' && n.text.startsWith('&')))) {
    n = n.type === 'cast_expression' ? n.childForFieldName('value') : n.type === 'pointer_expression' ? n.childForFieldName('argument') : n.namedChild(0);
  }
  if (!n || (n.type !== 'identifier' && n.type !== 'qualified_identifier')) return undefined;
  const name = n.text.replace(/\s+/g, '').replace(/^::/, '');
  return name === 'NULL' ? undefined : name;
}

export function siteOf(n: Node): FactSite {
  return { line: n.startPosition.row, character: n.startPosition.column, endLine: n.endPosition.row, endCharacter: n.endPosition.column };
}
