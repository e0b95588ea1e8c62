/**
 * Mechanical quick fixes, built from a finding's anchor, its path steps and the syntax tree: the
 * edit a developer would make by hand for rules whose repair does not need judgement. Each fix
 * here is applied and re-analysed in test/unit/fixes: the problem goes and nothing new appears.
 */
import type { Node, ParsedText } from '../parsing/parser';
import { catalog } from '../catalog';

export interface FixInput {
  code: string;
  message: string;
  line: number;
  character: number;
  related: { line: number; message: string }[];
}

export interface FixEdit {
  start: { line: number; character: number };
  end: { line: number; character: number };
  newText: string;
}

export interface MechanicalFix {
  title: string;
  edits: FixEdit[];
  /** Offered only when the file analysed again with it shows the finding gone and nothing new. */
  verify?: true;
}

type Builder = (input: FixInput, tree: FixTree) => MechanicalFix | undefined;

/** The syntax tree and lines of the file, with the lookups the fixes need. */
export class FixTree {
  constructor(readonly parsed: ParsedText, readonly lines: string[]) {}

  nodeAt(line: number, character: number): Node | null {
    return this.parsed.tree.rootNode.descendantForPosition({ row: line, column: character });
  }

  /** The first call expression starting on a line (the callee name on that line). */
  callOnLine(line: number): Node | undefined {
    const text = this.lines[line] ?? '';
    const re = /\b[A-Za-z_]\w*\s*\(/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const call = enclosing(this.nodeAt(line, m.index), 'call_expression');
      if (call && call.startPosition.row === line) return call;
    }
    return undefined;
  }

  indentOf(line: number): string {
    return /^\s*/.exec(this.lines[line] ?? '')?.[0] ?? '';
  }
}

export function enclosing(node: Node | null, type: string): Node | undefined {
  for (let n = node; n; n = n.parent) if (n.type === type) return n;
  return undefined;
}

/** The statement directly inside a block that contains `node`. */
export function blockStatement(node: Node | null): Node | undefined {
  for (let n = node; n; n = n.parent) {
    const p = n.parent;
    if (p && (p.type === 'compound_statement' || p.type === 'labeled_statement') && n.type !== 'comment' && /statement|declaration/.test(n.type)) return n;
  }
  return undefined;
}

function callee(call: Node): string {
  return call.childForFieldName('function')?.text ?? '';
}

function args(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
}

/** `&x` and `(PVOID *)&x` → `x`; `(PVOID)x` → `x`. */
function stripAddress(text: string): string {
  return text.replace(/^\((?:[^()]|\([^()]*\))*\)\s*/, '').replace(/^&\s*/, '').trim();
}

function insertLineBefore(tree: FixTree, statement: Node, text: string): FixEdit {
  const row = statement.startPosition.row;
  return { start: { line: row, character: 0 }, end: { line: row, character: 0 }, newText: `${tree.indentOf(row)}${text}\n` };
}

function insertLineAfter(tree: FixTree, statement: Node, text: string): FixEdit {
  const row = statement.endPosition.row;
  const end = { line: row, character: (tree.lines[row] ?? '').length };
  return { start: end, end, newText: `\n${tree.indentOf(statement.startPosition.row)}${text}` };
}

function replaceNode(node: Node, newText: string): FixEdit {
  return { start: { line: node.startPosition.row, character: node.startPosition.column }, end: { line: node.endPosition.row, character: node.endPosition.column }, newText };
}

function relatedLine(input: FixInput, pattern: RegExp): number | undefined {
  return input.related.find((r) => pattern.test(r.message))?.line;
}

/** The first argument of the Flt call on a line: the filter the object was made with. */
function filterOfCallOn(tree: FixTree, line: number | undefined): string | undefined {
  const call = line === undefined ? undefined : tree.callOnLine(line);
  return call && callee(call).startsWith('Flt') ? args(call)[0]?.text : undefined;
}

/** How the function leaves on an error: its `goto` label, `return status`, or its first early return. */
export function errorExit(tree: FixTree, fn: Node, statusVar: string | undefined): string | undefined {
  const gotoLabel = fn.descendantsOfType('goto_statement').map((g) => g?.childForFieldName('label')?.text).find(Boolean);
  if (gotoLabel) return `goto ${gotoLabel};`;
  const returnType = fn.childForFieldName('type')?.text ?? '';
  if (statusVar && /NTSTATUS/.test(returnType)) return `return ${statusVar};`;
  if (/^(VOID|void)$/.test(returnType) && !/\*/.test(fn.childForFieldName('declarator')?.text.split('(')[0] ?? '')) return 'return;';
  return fn.descendantsOfType('return_statement').map((r) => r?.text).find((t) => t && t !== 'return;');
}

/** A local NTSTATUS variable of the function, for checking a call whose result was dropped. */
function statusVariable(fn: Node): string | undefined {
  for (const decl of fn.descendantsOfType('declaration')) {
    if (decl?.childForFieldName('type')?.text !== 'NTSTATUS') continue;
    const d = decl.childForFieldName('declarator');
    const name = d?.type === 'init_declarator' ? d.childForFieldName('declarator')?.text : d?.text;
    if (name && /^\w+$/.test(name)) return name;
  }
  return undefined;
}

/** A name for a new local that nothing in the function uses yet. */
function freshName(fn: Node, ...candidates: string[]): string | undefined {
  const used = new Set(fn.descendantsOfType('identifier').map((n) => n?.text));
  return candidates.find((c) => !used.has(c));
}

/** Declares a local after the declarations that open the function body (C89 order). */
function declareLocal(tree: FixTree, fn: Node, text: string): FixEdit | undefined {
  const body = fn.childForFieldName('body');
  const statements = body?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
  let last: Node | undefined;
  for (const n of statements) {
    if (n.type !== 'declaration') break;
    last = n;
  }
  if (last) return insertLineAfter(tree, last, text);
  const first = statements[0];
  if (first && first.startPosition.row > body!.startPosition.row) return insertLineBefore(tree, first, text);
  return undefined;
}

/** The variable a call's status is stored in: `s = Call(...)` or `NTSTATUS s = Call(...);`. */
function assignedStatus(statement: Node, call: Node): string | undefined {
  const assign = enclosing(call, 'assignment_expression');
  if (assign && assign.childForFieldName('right')?.id === call.id) return assign.childForFieldName('left')!.text;
  const init = enclosing(call, 'init_declarator');
  const name = init?.childForFieldName('value')?.id === call.id && statement.type === 'declaration' ? init.childForFieldName('declarator')?.text : undefined;
  return name && /^\w+$/.test(name) ? name : undefined;
}

/** The status of a fallible call, as the check after it needs it, with the edits that keep it. */
type CallStatus = { statusVar: string; edits: FixEdit[] } | { wrap: FixEdit };

/**
 * The status of a fallible call statement: `status = Call(...)` or `NTSTATUS s = Call(...)` gives
 * the variable; a bare `Call(...);` is rewritten to assign the function's NTSTATUS local. A
 * function with none: an NTSTATUS function that returns the status gets one declared; any other
 * is checked in place, `if (!NT_SUCCESS(Call(...))) { exit }`.
 */
function statusOfCall(tree: FixTree, statement: Node, call: Node, fn: Node, exit: (statusVar: string | undefined) => string | undefined): CallStatus | undefined {
  const assigned = assignedStatus(statement, call);
  if (assigned) return { statusVar: assigned, edits: [] };
  if (statement.type !== 'expression_statement') return undefined;
  // `(VOID)Call(...);` discards the status on purpose: the fix keeps it instead.
  const first = statement.firstNamedChild;
  const discarded = first?.type === 'cast_expression' && first.childForFieldName('value')?.id === call.id ? first : undefined;
  if (first?.id !== call.id && !discarded) return undefined;
  const assignTo = (statusVar: string) => replaceNode(discarded ?? call, `${statusVar} = ${call.text}`);
  const local = statusVariable(fn);
  if (local) return { statusVar: local, edits: [assignTo(local)] };
  const returnsStatus = /\bNTSTATUS\b/.test(fn.childForFieldName('type')?.text ?? '') && fn.descendantsOfType('goto_statement').length === 0;
  if (returnsStatus) {
    const name = freshName(fn, 'status', 'ecpStatus');
    const declaration = name && declareLocal(tree, fn, `NTSTATUS ${name};`);
    return name && declaration ? { statusVar: name, edits: [declaration, assignTo(name)] } : undefined;
  }
  const inner = exit(undefined);
  if (!inner) return undefined;
  const indent = tree.indentOf(statement.startPosition.row);
  return { wrap: replaceNode(statement, `if (!NT_SUCCESS(${call.text})) {\n${indent}    ${inner}\n${indent}}`) };
}

/** `if (!NT_SUCCESS(s)) { exit }` after a fallible call; the assignment too when it was missing. */
function checkAfter(tree: FixTree, call: Node, body: (statusVar: string | undefined) => string | undefined): FixEdit[] | undefined {
  const statement = blockStatement(call);
  const fn = enclosing(call, 'function_definition');
  if (!statement || !fn) return undefined;
  const status = statusOfCall(tree, statement, call, fn, body);
  if (!status) return undefined;
  if ('wrap' in status) return [status.wrap];
  const inner = body(status.statusVar);
  if (!inner) return undefined;
  const indent = tree.indentOf(statement.startPosition.row);
  return [...status.edits, insertLineAfter(tree, statement, `if (!NT_SUCCESS(${status.statusVar})) {\n${indent}    ${inner}\n${indent}}`)];
}

/** The call a statement consists of: `Call(...);` or `(VOID)Call(...);`. */
function callStatement(statement: Node | undefined, call: Node): boolean {
  const first = statement?.type === 'expression_statement' ? statement.firstNamedChild : undefined;
  return first?.id === call.id || (first?.type === 'cast_expression' && first.childForFieldName('value')?.id === call.id);
}

/** Removes a statement; the whole line when nothing else stands on it. */
function removeStatement(tree: FixTree, statement: Node): FixEdit {
  const start = statement.startPosition;
  const end = statement.endPosition;
  const before = (tree.lines[start.row] ?? '').slice(0, start.column);
  const after = (tree.lines[end.row] ?? '').slice(end.column);
  if (/^\s*$/.test(before) && /^\s*(\/\/.*)?$/.test(after) && end.row + 1 < tree.lines.length) {
    return { start: { line: start.row, character: 0 }, end: { line: end.row + 1, character: 0 }, newText: '' };
  }
  return replaceNode(statement, '');
}

/**
 * The second free goes when every path to it went through the first: both are plain call
 * statements of one block, the first before the second, and no label between them lets a path
 * reach the second without the first (otherwise the second free is another path's cleanup).
 */
const removeSecondFree: Builder = (input, tree) => {
  const first = tree.callOnLine(relatedLine(input, /first freed here/) ?? -1);
  const second = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  const a = first && blockStatement(first);
  const b = second && blockStatement(second);
  if (!first || !second || !a || !b || !callStatement(a, first) || !callStatement(b, second)) return undefined;
  if (a.parent?.id !== b.parent?.id || a.startIndex >= b.startIndex || args(first).at(-1)?.text !== args(second).at(-1)?.text) return undefined;
  for (let s = a.nextNamedSibling; s && s.id !== b.id; s = s.nextNamedSibling) {
    if (s.type === 'labeled_statement' || s.descendantsOfType('labeled_statement').length > 0) return undefined;
  }
  return { title: `Remove the second free of ${args(second).at(-1)!.text}`, edits: [removeStatement(tree, b)] };
};

/**
 * The first free goes when every path through it reaches the second: the first sits inside an
 * earlier statement of the second's block that holds no jump and no label (its paths all run on
 * to the second). An `if` left with nothing but that free goes with it when its condition calls
 * nothing that could matter.
 */
const removeFirstFree: Builder = (input, tree) => {
  const first = tree.callOnLine(relatedLine(input, /first freed here/) ?? -1);
  const second = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  const a = first && blockStatement(first);
  const b = second && blockStatement(second);
  if (!first || !second || !a || !b || !callStatement(a, first) || !callStatement(b, second) || args(first).at(-1)?.text !== args(second).at(-1)?.text) return undefined;
  let outer: Node | undefined = a;
  while (outer && outer.parent?.id !== b.parent?.id) outer = outer.parent ? blockStatement(outer.parent) : undefined;
  if (!outer || outer.id === a.id || outer.startIndex >= b.startIndex) return undefined;
  const jumps = ['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'labeled_statement'];
  if (jumps.some((t) => outer!.descendantsOfType(t).length > 0)) return undefined;
  for (let s = outer.nextNamedSibling; s && s.id !== b.id; s = s.nextNamedSibling) {
    if (jumps.some((t) => s!.type === t || s!.descendantsOfType(t).length > 0)) return undefined;
  }
  const block = a.parent;
  const onlyStatement = block?.type === 'compound_statement' && block.namedChildren.filter((n) => n && n.type !== 'comment').length === 1;
  const holder = onlyStatement ? block.parent : undefined;
  const condition = holder?.type === 'if_statement' && !holder.childForFieldName('alternative') ? holder.childForFieldName('condition') : undefined;
  const pure = condition && condition.descendantsOfType('call_expression').every((c) => c && /^(BooleanFlagOn|FlagOn)$/.test(callee(c)));
  const removed = pure && holder!.id === outer.id ? holder! : a;
  return { title: `Remove the first free of ${args(first).at(-1)!.text} (line ${b.startPosition.row + 1} frees it on every path)`, edits: [removeStatement(tree, removed)] };
};

/**
 * The pointer is cleared after the first free; a second free that no NULL test guards is put
 * under one too (freeing the cleared NULL is ecp-free-null).
 */
const clearAfterFirstFree: Builder = (input, tree) => {
  const first = tree.callOnLine(relatedLine(input, /first freed here/) ?? -1);
  const statement = first && blockStatement(first);
  const pointer = first && args(first).at(-1)?.text;
  if (!statement || !pointer || !/^[\w.>-]+$/.test(pointer)) return undefined;
  const clear = insertLineAfter(tree, statement, `${pointer} = NULL;`);
  const second = unguardedFree(input, tree, lastArg);
  if (!second) return { title: `Set ${pointer} to NULL after the first free`, edits: [clear] };
  if (second.statement.id === statement.id || second.pointer !== pointer) return undefined;
  return { title: `Set ${pointer} to NULL after the first free and free it again only when not NULL`, edits: [clear, guardStatement(tree, second.statement, pointer)] };
};

/** `if (pointer != NULL) { statement }` in place of the statement. */
function guardStatement(tree: FixTree, statement: Node, pointer: string): FixEdit {
  const indent = tree.indentOf(statement.startPosition.row);
  const body = statement.text.replace(/\n/g, '\n    ');
  return replaceNode(statement, `if (${pointer} != NULL) {\n${indent}    ${body}\n${indent}}`);
}

/**
 * A free (or insert, find, acknowledge…) of a pointer that is NULL on some path runs only when it
 * is not; a free of a literal NULL goes. The pointer is the argument the finding names (an insert's
 * NULL may be its list or its ECP).
 */
const guardFree: Builder = (input, tree) => {
  const named = /is given (.+?), which is NULL on this path/.exec(input.message)?.[1];
  const target = unguardedFree(input, tree, named === undefined ? lastArg : (call) => args(call).find((a) => a.text.trim() === named));
  if (!target) return undefined;
  const routine = target.free.childForFieldName('function')?.text ?? '';
  const frees = /Free/.test(routine);
  if (/^(NULL|0|nullptr)$/.test(target.pointer)) return frees ? { title: 'Remove this free of NULL', edits: [removeStatement(tree, target.statement)] } : undefined;
  if (!/^[\w.>-]+$/.test(target.pointer)) return undefined;
  const title = frees ? `Free ${target.pointer} only when it is not NULL` : `Call ${routine} only when ${target.pointer} is not NULL`;
  return { title, edits: [guardStatement(tree, target.statement, target.pointer)] };
};

/** A statement runs only when `pointer` tested non-NULL: an enclosing `if` whose condition names it. */
function nullGuarded(statement: Node, pointer: string): boolean {
  const name = new RegExp(`(^|[^\\w])${pointer.replace(/[.>-]/g, (c) => `\\${c}`)}($|[^\\w])`);
  for (let n = statement.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type === 'if_statement' && name.test(n.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** A free call statement that no NULL test guards, with the pointer it frees. */
function unguardedFree(input: FixInput, tree: FixTree, pointerOf: (free: Node) => Node | undefined): { free: Node; statement: Node; pointer: string } | undefined {
  const free = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  const statement = free && blockStatement(free);
  const pointer = free && pointerOf(free)?.text;
  if (!free || !statement || !pointer || !callStatement(statement, free) || nullGuarded(statement, pointer)) return undefined;
  return { free, statement, pointer };
}

const lastArg = (free: Node) => args(free).at(-1);

/**
 * A free of a context a list still owns, with no NULL test around it: when the list's own free
 * follows in the block, that free releases the context, so this one goes; otherwise the context is
 * taken out of the list first (Remove hands it back) and freed only then, with `ownFree` (the
 * ECP's own routine) in place of the statement when given.
 */
function freeOfListedContext(input: FixInput, tree: FixTree, pointerOf: (free: Node) => Node | undefined, ownFree?: (pointer: string) => string | undefined): MechanicalFix | undefined {
  const target = unguardedFree(input, tree, pointerOf);
  const allocation = tree.callOnLine(relatedLine(input, /allocated here/) ?? -1);
  const listCall = tree.callOnLine(relatedLine(input, /the list that still owns it/) ?? -1);
  const list = listCall && stripAddress(args(listCall).at(-1)?.text ?? '');
  if (!target || !list || !/^[\w.>-]+$/.test(list)) return undefined;
  const listFree = new RegExp(`FreeExtraCreateParameterList\\s*\\((?:[^;]*,)?\\s*${list.replace(/[.>-]/g, (c) => `\\${c}`)}\\s*\\)`);
  for (let s = target.statement.nextNamedSibling; s; s = s.nextNamedSibling) {
    if (s.type === 'labeled_statement' || s.descendantsOfType('labeled_statement').length > 0) break;
    if (listFree.test(s.text)) return { title: `Remove this free: freeing ${list} frees ${target.pointer}`, edits: [removeStatement(tree, target.statement)] };
  }
  if (!allocation || !/AllocateExtraCreateParameter$/.test(callee(allocation))) return undefined;
  const flt = callee(allocation).startsWith('Flt');
  const type = args(allocation)[flt ? 1 : 0]?.text;
  const out = args(allocation).at(-1)?.text;
  const filter = flt ? args(allocation)[0]?.text : undefined;
  const free = ownFree ? ownFree(target.pointer) : target.statement.text;
  if (!type || !out || !free || stripAddress(out) !== target.pointer) return undefined;
  const remove = flt ? `FltRemoveExtraCreateParameter(${filter}, ${list}, ${type}, ${out}, NULL)` : `FsRtlRemoveExtraCreateParameter(${list}, ${type}, ${out}, NULL)`;
  const indent = tree.indentOf(target.statement.startPosition.row);
  return {
    title: `Remove ${target.pointer} from ${list}, then free it`,
    edits: [replaceNode(target.statement, `if (NT_SUCCESS(${remove})) {\n${indent}    ${free}\n${indent}}`)],
  };
}

const removeOrTakeOutFirst: Builder = (input, tree) => freeOfListedContext(input, tree, lastArg);

/**
 * After a successful insert the list owns the context: clear the pointer so cleanup skips it.
 * Only where the free is behind a NULL test (an unguarded free would then free NULL).
 */
const clearAfterInsert: Builder = (input, tree) => {
  if (unguardedFree(input, tree, lastArg)) return undefined;
  const insert = tree.callOnLine(relatedLine(input, /inserted into the list here/) ?? -1);
  const statement = insert && blockStatement(insert);
  const pointer = insert && args(insert).at(-1)?.text;
  if (!statement || !pointer || !/^\w+$/.test(pointer)) return undefined;
  const next = statement.nextNamedSibling;
  const anchor = next?.type === 'if_statement' && /NT_SUCCESS|STATUS_SUCCESS/.test(next.childForFieldName('condition')?.text ?? '') ? next : statement;
  return { title: `Set ${pointer} to NULL once the list owns it`, edits: [insertLineAfter(tree, anchor, `${pointer} = NULL;`)] };
};

const checkStatusBeforeUse: Builder = (input, tree) => {
  const use = blockStatement(tree.nodeAt(input.line, input.character));
  const fn = use && enclosing(use, 'function_definition');
  // The call whose failure the path took: the check goes right after it.
  const failed = tree.callOnLine(relatedLine(input, / fails here with /) ?? -1);
  if (failed && fn && catalog.routines.has(callee(failed))) {
    const edits = checkAfter(tree, failed, (statusVar) => errorExit(tree, fn, statusVar));
    return edits && { title: `Check the status of ${callee(failed)} before using its result`, edits };
  }
  for (let s = use?.previousNamedSibling; s && fn; s = s.previousNamedSibling) {
    const call = s.descendantsOfType('call_expression').find((c) => c && catalog.routines.has(callee(c)));
    if (!call) continue;
    const edits = checkAfter(tree, call, (statusVar) => errorExit(tree, fn, statusVar));
    return edits && { title: `Check the status of ${callee(call)} before using its result`, edits };
  }
  return undefined;
};

/** The context a failed insert leaves with the caller is freed on the failure branch. */
const freeOnFailedInsert: Builder = (input, tree) => {
  const insert = tree.callOnLine(relatedLine(input, /InsertExtraCreateParameter fails/) ?? -1);
  const statement = insert && blockStatement(insert);
  const pointer = insert && args(insert).at(-1)?.text;
  if (!insert || !statement || !pointer) return undefined;
  const flt = callee(insert).startsWith('Flt');
  const free = flt ? `FltFreeExtraCreateParameter(${args(insert)[0]?.text}, ${pointer});` : `FsRtlFreeExtraCreateParameter(${pointer});`;
  const title = `Free ${pointer} when the insert fails`;
  const next = statement.nextNamedSibling;
  const failure = next?.type === 'if_statement' && /!\s*NT_SUCCESS|NT_ERROR/.test(next.childForFieldName('condition')?.text ?? '') ? next.childForFieldName('consequence') : undefined;
  if (failure?.type === 'compound_statement') {
    const open = failure.startPosition;
    const at = { line: open.row, character: open.column + 1 };
    return { title, edits: [{ start: at, end: at, newText: `\n${tree.indentOf(next!.startPosition.row)}    ${free}` }] };
  }
  if (failure) return undefined;
  const edits = checkAfter(tree, insert, () => free);
  return edits && { title, edits };
};

const initializeCreateContext: Builder = (input, tree) => {
  const create = tree.nodeAt(input.line, input.character);
  const name = /driver create context '(\w+)' that IoInitializeDriverCreateContext never initialised/.exec(input.message)?.[1];
  const firstUse = relatedLine(input, /first used here/);
  const statement = blockStatement(firstUse !== undefined ? tree.callOnLine(firstUse) ?? tree.nodeAt(firstUse, tree.indentOf(firstUse).length) : create);
  if (!name || !statement) return undefined;
  return { title: `Initialise ${name} with IoInitializeDriverCreateContext`, edits: [insertLineBefore(tree, statement, `IoInitializeDriverCreateContext(&${name});`)] };
};

const attachListToCreateContext: Builder = (input, tree) => {
  const name = /is given '(\w+)' with ExtraCreateParameter unset/.exec(input.message)?.[1];
  const alloc = tree.callOnLine(relatedLine(input, /ECP list allocated here/) ?? -1);
  const list = alloc && stripAddress(args(alloc).at(-1)?.text ?? '');
  const statement = blockStatement(tree.nodeAt(input.line, input.character));
  if (!name || !list || !statement) return undefined;
  return { title: `Attach ${list} to ${name}.ExtraCreateParameter`, edits: [insertLineBefore(tree, statement, `${name}.ExtraCreateParameter = ${list};`)] };
};

/**
 * The ECP's own free routine in place of ExFreePool* or ExFreeTo*LookasideList. A context still in
 * a list is not freed on its own (that is ecp-free-inserted): the list's free releases it, or it is
 * removed from the list first.
 */
const ownFreeRoutine: Builder = (input, tree) => {
  const routine = /Use (\w+)\.$/.exec(input.message)?.[1];
  const call = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  if (!routine || !call) return undefined;
  const pointerOf = (free: Node) => (/Lookaside/.test(callee(free)) ? args(free)[1] : args(free)[0]);
  const pointer = pointerOf(call);
  const filter = routine.startsWith('Flt') ? filterOfCallOn(tree, relatedLine(input, /allocated here/)) : undefined;
  if (!pointer || (routine.startsWith('Flt') && !filter)) return undefined;
  const own = (p: string) => `${routine}(${filter ? `${filter}, ` : ''}${p})`;
  if (relatedLine(input, /the list that still owns it/) !== undefined) return freeOfListedContext(input, tree, pointerOf, (p) => `${own(p)};`);
  return { title: `Use ${routine}`, edits: [replaceNode(call, own(pointer.text))] };
};

/** The creating family's routine: FsRtlX(a) ↔ FltX(filter, a). */
const creatingFamilyRoutine: Builder = (input, tree) => {
  const call = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  const madeBy = /comes from the (Flt|FsRtl)\* routines/.exec(input.message)?.[1];
  if (!call || !madeBy) return undefined;
  const name = callee(call);
  const swapped = madeBy === 'Flt' ? name.replace(/^FsRtl/, 'Flt') : name.replace(/^Flt/, 'FsRtl');
  if (swapped === name || !catalog.routines.has(swapped)) return undefined;
  const filter = madeBy === 'Flt' ? filterOfCallOn(tree, relatedLine(input, /allocated here|found here|removed/)) : undefined;
  if (madeBy === 'Flt' && !filter) return undefined;
  const rest = madeBy === 'Flt' ? args(call) : args(call).slice(1);
  const text = `${swapped}(${[...(filter ? [filter] : []), ...rest.map((a) => a.text)].join(', ')})`;
  return { title: `Use ${swapped}`, edits: [replaceNode(call, text)] };
};

const nullCheckList: Builder = (input, tree) => {
  const list = /^(\w+) may be NULL/.exec(input.message)?.[1];
  const use = blockStatement(tree.nodeAt(input.line, input.character));
  if (!list || !use) return undefined;
  // Where the list came from: test it right there (after the call's own status check), before the
  // path allocates anything a return would leak.
  const gotAt = relatedLine(input, /can return STATUS_SUCCESS with a NULL list/);
  const getter = gotAt === undefined ? undefined : blockStatement(tree.callOnLine(gotAt) ?? null);
  const fn = enclosing(use, 'function_definition');
  const exit = fn && errorExit(tree, fn, undefined);
  if (getter && exit && getter.parent?.id === use.parent?.id && getter.startIndex < use.startIndex) {
    const next = getter.nextNamedSibling;
    const after = next && next.type === 'if_statement' && next.startIndex < use.startIndex && /NT_SUCCESS|NT_ERROR|STATUS_|status/i.test(next.childForFieldName('condition')?.text ?? '') ? next : getter;
    const indent = tree.indentOf(after.startPosition.row);
    return { title: `Return early when ${list} is NULL (the create carries no ECPs)`, edits: [insertLineAfter(tree, after, `if (${list} == NULL) {\n${indent}    ${exit}\n${indent}}`)] };
  }
  // Otherwise the one statement that needs the list runs only with one.
  return { title: `Run this only when ${list} is not NULL`, edits: [guardStatement(tree, use, list)] };
};

/** The right family's constant, or 0 where the family has no equivalent. */
const flagOrZero: Builder = (input, tree) => {
  const id = tree.nodeAt(input.line, input.character);
  if (!id || id.type !== 'identifier' || /; use \w+/.test(input.message)) return undefined;
  return { title: `Use 0 (the expected family has no equivalent of ${id.text})`, edits: [replaceNode(id, '0')] };
};

/** A statement that leaves its block when the condition holds: `return`, `goto`, `break`, `continue`. */
function leaves(statement: Node | null | undefined): boolean {
  const last = statement?.type === 'compound_statement' ? statement.namedChildren.filter((n) => n && n.type !== 'comment').at(-1) : statement;
  return !!last && /^(return|goto|break|continue)_statement$/.test(last.type);
}

/** `if (!NT_SUCCESS(<status>)) { ... leave }` with no else: the code after it runs only on success. */
function leavesOnFailure(statement: Node | null, status: string): boolean {
  if (statement?.type !== 'if_statement' || statement.childForFieldName('alternative')) return false;
  const condition = statement.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
  return (condition === `(!NT_SUCCESS(${status}))` || condition === `(!NT_SUCCESS(${status.replace(/\s+/g, '')}))`) && leaves(statement.childForFieldName('consequence'));
}

/** Where an insert is known to have succeeded: the edit that records it in `flag`. */
function recordInsert(tree: FixTree, insert: Node, flag: string): FixEdit | undefined {
  const statement = blockStatement(insert);
  if (!statement) return undefined;
  const set = `${flag} = TRUE;`;
  const status = assignedStatus(statement, insert);
  if (status) {
    const next = statement.nextNamedSibling;
    if (leavesOnFailure(next, status)) return insertLineAfter(tree, next!, set);
    const indent = tree.indentOf(statement.startPosition.row);
    return insertLineAfter(tree, statement, `if (NT_SUCCESS(${status})) {\n${indent}    ${set}\n${indent}}`);
  }
  // `if (!NT_SUCCESS(Insert(...))) { ... leave }`
  if (leavesOnFailure(statement, insert.text)) return insertLineAfter(tree, statement, set);
  return undefined;
}

/**
 * An empty list stays off the create: with no insert into it in the function the attachment goes;
 * otherwise a flag records each successful insert and the list is attached only when it is set.
 * A list this function did not allocate, or hands to a call of its own, is left alone (another
 * function may fill it).
 */
const attachOnlyWhenInserted: Builder = (input, tree) => {
  const at = relatedLine(input, /ExtraCreateParameter assigned here/);
  const statement = at === undefined ? undefined : enclosing(tree.nodeAt(at, tree.indentOf(at).length), 'expression_statement');
  const assign = statement?.firstNamedChild;
  const fn = statement && enclosing(statement, 'function_definition');
  if (!statement || !fn || assign?.type !== 'assignment_expression' || !/ExtraCreateParameter$/.test(assign.childForFieldName('left')?.text ?? '')) return undefined;
  const list = stripAddress(assign.childForFieldName('right')?.text ?? '');
  if (!/^\w+$/.test(list)) return undefined;
  const calls = fn.descendantsOfType('call_expression').filter((c): c is Node => !!c && args(c).some((a) => stripAddress(a.text) === list));
  if (calls.some((c) => !catalog.routines.has(callee(c))) || !calls.some((c) => /AllocateExtraCreateParameterList$/.test(callee(c)))) return undefined;
  const inserts = calls.filter((c) => /InsertExtraCreateParameter$/.test(callee(c)));
  if (inserts.length === 0) return { title: `Leave ${list} off the create: nothing is ever inserted into it`, edits: [removeStatement(tree, statement)] };
  const flag = freshName(fn, 'ecpInserted', 'listHasEcp');
  const declaration = flag && declareLocal(tree, fn, `BOOLEAN ${flag} = FALSE;`);
  const records = flag ? inserts.map((insert) => recordInsert(tree, insert, flag)) : [];
  if (!flag || !declaration || records.some((r) => !r)) return undefined;
  const indent = tree.indentOf(statement.startPosition.row);
  return {
    title: `Attach ${list} only when an ECP was inserted into it`,
    edits: [declaration, ...(records as FixEdit[]), replaceNode(statement, `if (${flag}) {\n${indent}    ${statement.text}\n${indent}}`)],
  };
};

/**
 * A free of what an in-flight create owns goes: the I/O manager frees it when the create
 * completes. Verified, because the same free may also run where the object is still the
 * driver's (after a set into the callback data that failed); removing it there would leak.
 */
const removeForeignFree: Builder = (input, tree) => {
  const free = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  const statement = free && blockStatement(free);
  const pointer = free && args(free).at(-1)?.text;
  if (!free || !statement || !pointer || !callStatement(statement, free) || !/Free/.test(callee(free))) return undefined;
  return { title: `Remove this free: ${pointer} belongs to the create, whose completion frees it`, edits: [removeStatement(tree, statement)], verify: true };
};

/**
 * A list set into the callback data and then freed on every path: free it only when the set
 * failed (after a successful set the I/O manager frees it). Verified, as the status variable
 * might be written again between the set and the free.
 */
const freeOnlyWhenSetFailed: Builder = (input, tree) => {
  const set = tree.callOnLine(relatedLine(input, /handed to the create here/) ?? -1);
  const setStatement = set && blockStatement(set);
  const status = set && setStatement && /SetEcpListInto/.test(callee(set)) ? assignedStatus(setStatement, set) : undefined;
  const free = enclosing(tree.nodeAt(input.line, input.character), 'call_expression');
  const statement = free && blockStatement(free);
  const pointer = free && args(free).at(-1)?.text;
  if (!set || !status || !free || !statement || !pointer || !callStatement(statement, free) || statement.startIndex < set.endIndex) return undefined;
  const indent = tree.indentOf(statement.startPosition.row);
  return {
    title: `Free ${pointer} only when ${callee(set)} failed`,
    edits: [replaceNode(statement, `if (!NT_SUCCESS(${status})) {\n${indent}    ${statement.text}\n${indent}}`)],
    verify: true,
  };
};

const BUILDERS: Record<string, Builder[]> = {
  'ecp-double-free': [removeSecondFree, removeFirstFree, clearAfterFirstFree],
  'ecp-free-inserted': [removeOrTakeOutFirst, clearAfterInsert],
  'ecp-unchecked-status': [checkStatusBeforeUse],
  'ecp-context-leak': [freeOnFailedInsert],
  'ecp-create-context': [initializeCreateContext, attachListToCreateContext],
  'ecp-wrong-free': [ownFreeRoutine],
  'ecp-api-family-mix': [creatingFamilyRoutine],
  'ecp-null-list': [nullCheckList],
  'ecp-free-null': [guardFree],
  'ecp-flag-family': [flagOrZero],
  'ecp-empty-list': [attachOnlyWhenInserted],
  'ecp-foreign-list-free': [freeOnlyWhenSetFailed, removeForeignFree],
};

/** Rules whose fixes `source.fixAll.ecpLens` applies without asking: each changes one call or flag. */
export const SAFE_FIX_RULES: ReadonlySet<string> = new Set(['ecp-flag-family', 'ecp-wrong-free', 'ecp-api-family-mix', 'ecp-lookaside-flags', 'ecp-context-size', 'ecp-create-context', 'ecp-double-free']);

export function mechanicalFixes(input: FixInput, tree: FixTree): MechanicalFix[] {
  const fixes: MechanicalFix[] = [];
  for (const build of BUILDERS[input.code] ?? []) {
    const fix = build(input, tree);
    if (fix) fixes.push(fix);
  }
  return fixes;
}
