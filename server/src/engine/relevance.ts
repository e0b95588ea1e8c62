/**
 * Which statements can matter for ECP state. A branch or loop with nothing relevant inside is not
 * explored path by path, which keeps unrelated `if`s from multiplying paths.
 */
import { isCTree, treeText, type Node } from '../parsing/parser';
import { type FileModel, functionNamed } from './fileModel';
import { routineInfo } from './catalogAccess';
import { isSpecialCallee } from './specialCalls';
import { normalisedCallee } from './routinePointers';
import { mayTouchEcp } from './helperEffects';
import { runToEnd, type Sliced } from '../util/slices';
import { nameWords } from '../util/codeText';

const CONTROL = new Set(['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'seh_leave_statement', 'labeled_statement']);

export interface Relevance {
  relevant(node: Node): boolean;
  tracked: Set<string>;
}

interface Rec {
  id: number;
  type: string;
  start: number;
  end: number;
  parent: number; //     index of the parent record, -1 for the body
  callee?: string; //    call_expression: the function name when it is an identifier
  argsStart?: number; // call_expression: the argument list's span
  argsEnd?: number;
  /** The identifier-like words of the node's text and of a call's arguments, read once. */
  words?: string[];
  argWords?: string[];
}

/**
 * One cursor walk over the body records every named node's type, span and parent; the rest works
 * on those records and the source text, never crossing into the wasm heap again. A node's type id
 * is read first: an anonymous token (punctuation, keywords, about half the nodes) costs that one
 * call and the step to its sibling, as nothing else of it is used.
 */
const NODES_PER_PAUSE = 1024;

function* records(body: Node, text: string): Sliced<Rec[]> {
  const out: Rec[] = [];
  let visited = 0;
  const cursor = body.walk();
  const language = body.tree.language;
  const types = language.types;
  let named = namedTypes.get(language);
  if (!named) namedTypes.set(language, (named = new Map()));
  const parents: number[] = [];
  const c = isCTree(body.tree);
  try {
    for (;;) {
      // Pausing between nodes is safe: a run's tree is kept while it runs (the server pins its
      // document), and the cursor is deleted however the walk ends (`finally`).
      if (++visited % NODES_PER_PAUSE === 0) yield;
      const typeId = cursor.nodeTypeId;
      let isNamed = named.get(typeId);
      if (isNamed === undefined) named.set(typeId, (isNamed = language.nodeTypeIsNamed(typeId)));
      const parent = parents.length ? out[parents[parents.length - 1]] : undefined;
      let pushed = false;
      if (isNamed || (parent?.type === 'call_expression' && parent.callee === undefined)) {
        const rec: Rec = { id: cursor.nodeId, type: types[typeId] || 'ERROR', start: cursor.startIndex, end: cursor.endIndex, parent: parents.length ? parents[parents.length - 1] : -1 };
        // `leave;` is C's `__leave;` (parser.ts `isSehLeave`).
        if (c && rec.type === 'expression_statement' && rec.end - rec.start <= 16 && /^leave\s*;$/.test(text.slice(rec.start, rec.end))) rec.type = 'seh_leave_statement';
        if (parent?.type === 'call_expression') {
          // The callee is the first child of a call_expression (its `function` field).
          if (parent.callee === undefined) parent.callee = rec.type === 'identifier' ? text.slice(rec.start, rec.end) : normalisedCallee(rec.type, text.slice(rec.start, rec.end));
          if (rec.type === 'argument_list') {
            parent.argsStart = rec.start;
            parent.argsEnd = rec.end;
          }
        }
        if (isNamed) {
          out.push(rec);
          pushed = true;
        }
      }
      if (pushed && cursor.gotoFirstChild()) {
        parents.push(out.length - 1);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (parents.length === 0 || !cursor.gotoParent()) return out;
        parents.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Whether each node type id of a grammar is named, as the walks meet them. */
const namedTypes = new WeakMap<object, Map<number, boolean>>();

export function computeRelevance(body: Node, model: FileModel, text: string = treeText(body), scope?: Map<string, string>): Relevance {
  return runToEnd(relevanceInSlices(body, model, text, scope));
}

/** The same, pausing while it walks the body (a function of thousands of statements takes tens of ms). */
export function* relevanceInSlices(body: Node, model: FileModel, text: string = treeText(body), scope?: Map<string, string>): Sliced<Relevance> {
  const recs = yield* records(body, text);
  const slice = (r: Rec) => text.slice(r.start, r.end);
  const tracked = new Set<string>();
  // Every pass over the records pauses too: one pass of a helper of thousands of statements took
  // over 100 ms (the arguments' and assignments' words are read on the first).
  for (let i = 0; i < recs.length; i++) {
    if (i % RECORDS_PER_PAUSE === RECORDS_PER_PAUSE - 1) yield;
    const r = recs[i];
    if (r.type === 'call_expression' && r.argsStart !== undefined && isInteresting(r.callee ?? '', model, scope)) {
      for (const w of argWordsOf(r, text)) tracked.add(w);
    }
    if (r.type === 'assignment_expression' && /(\.|->)\s*ExtraCreateParameter\b/.test(slice(r))) for (const w of wordsOf(r, text)) tracked.add(w);
  }
  // Aliases: x = y where either side is tracked makes both tracked (two rounds suffice in practice).
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < recs.length; i++) {
      if (i % RECORDS_PER_PAUSE === RECORDS_PER_PAUSE - 1) yield;
      const r = recs[i];
      if (r.type !== 'assignment_expression' && r.type !== 'init_declarator') continue;
      const words = wordsOf(r, text);
      if (words.some((x) => tracked.has(x))) for (const x of words) tracked.add(x);
    }
  }
  const lambdas = storedLambdas(recs, slice);
  let marked = yield* markRelevant(recs, slice, model, tracked, text, lambdas, scope);
  // A variable tested by a relevant branch or loop (`if (ownList)`, `attempt < 2`) decides which
  // ECP calls run: its assignments matter too. A few rounds reach the fixpoint in practice.
  for (let round = 0; round < 3; round++) {
    yield;
    if (!(yield* addConditionVariables(recs, marked, slice, tracked))) break;
    marked = yield* markRelevant(recs, slice, model, tracked, text, lambdas, scope);
  }
  return { relevant: (node) => marked.has(node.id), tracked };
}

/** Records one pass over them handles between pauses. */
const RECORDS_PER_PAUSE = 4096;

/** Locals a C++ lambda is stored in (`auto release = [&] { ... };`): calling one runs its body. */
function storedLambdas(recs: Rec[], slice: (r: Rec) => string): Set<string> {
  const names = new Set<string>();
  for (const r of recs) {
    if (r.type !== 'lambda_expression' || r.parent < 0) continue;
    const holder = recs[r.parent];
    if (holder.type !== 'init_declarator' && holder.type !== 'assignment_expression') continue;
    const name = /^\s*([A-Za-z_]\w*)\s*=/.exec(slice(holder))?.[1];
    if (name) names.add(name);
  }
  return names;
}

function* markRelevant(recs: Rec[], slice: (r: Rec) => string, model: FileModel, tracked: Set<string>, text: string, lambdas: Set<string>, scope: Map<string, string> | undefined): Sliced<Set<number>> {
  const marked = new Set<number>();
  // Most functions track no field path: their assignments then need no look at the left side.
  const paths = [...tracked].some((t) => t.includes('.') || t.includes('->'));
  for (let i = 0; i < recs.length; i++) {
    if (i % RECORDS_PER_PAUSE === RECORDS_PER_PAUSE - 1) yield;
    const r = recs[i];
    if (!isRelevantLeaf(r, slice, model, tracked, text, scope, paths) && !(r.type === 'call_expression' && lambdas.has(r.callee ?? ''))) continue;
    for (let k = i; k >= 0 && !marked.has(recs[k].id); k = recs[k].parent) marked.add(recs[k].id);
  }
  return marked;
}

const BRANCHING = new Set(['if_statement', 'while_statement', 'for_statement', 'do_statement', 'switch_statement']);

/**
 * Adds the plain variables read in the condition (or `for` header) of a relevant branching
 * statement. Names written in capitals are constants and macros, never tracked.
 */
function* addConditionVariables(recs: Rec[], marked: Set<number>, slice: (r: Rec) => string, tracked: Set<string>): Sliced<boolean> {
  let added = false;
  for (let i = 0; i < recs.length; i++) {
    if (i % RECORDS_PER_PAUSE === RECORDS_PER_PAUSE - 1) yield;
    const r = recs[i];
    if (r.type === 'field_expression' && r.parent >= 0 && recs[r.parent].type !== 'field_expression') {
      // A flag kept in a structure (`if (Req->OwnsList)`): its assignments decide too.
      const path = fieldPath(slice(r));
      if (path && !tracked.has(path) && inRelevantCondition(recs, r, marked)) {
        tracked.add(path);
        added = true;
      }
      continue;
    }
    if (r.type !== 'identifier' || r.parent < 0) continue;
    const name = slice(r);
    if (tracked.has(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const parentType = recs[r.parent].type;
    if (parentType === 'field_expression' || parentType === 'call_expression') continue;
    if (inRelevantCondition(recs, r, marked)) {
      tracked.add(name);
      added = true;
    }
  }
  return added;
}

/** `Req->OwnsList` as a tracked name (`@Req->OwnsList`, never a word), when it is a plain access path. */
function fieldPath(text: string): string | undefined {
  const path = text.replace(/\s+/g, '');
  return /^[A-Za-z_]\w*((->|\.)[A-Za-z_]\w*)+$/.test(path) ? `@${path}` : undefined;
}

/** The record stands in the condition (not the body) of a branching statement that is relevant. */
function inRelevantCondition(recs: Rec[], r: Rec, marked: Set<number>): boolean {
  let child = r;
  for (let k = r.parent; k >= 0; child = recs[k], k = recs[k].parent) {
    if (!BRANCHING.has(recs[k].type)) continue;
    return marked.has(recs[k].id) && !/statement$/.test(child.type);
  }
  return false;
}

function isRelevantLeaf(r: Rec, slice: (r: Rec) => string, model: FileModel, tracked: Set<string>, text: string, scope: Map<string, string> | undefined, paths: boolean): boolean {
  if (CONTROL.has(r.type)) return true;
  if (r.type === 'call_expression') {
    if (isInteresting(r.callee ?? '', model, scope)) return true;
    return r.argsStart !== undefined && mentions(argWordsOf(r, text), tracked);
  }
  if (paths && r.type === 'assignment_expression') {
    const left = /^([^=]*?)\s*(?:[-+*/|&^]|<<|>>)?=(?!=)/.exec(slice(r))?.[1];
    const path = left ? fieldPath(left) : undefined;
    if (path && tracked.has(path)) return true;
  }
  if (r.type === 'assignment_expression' || r.type === 'init_declarator' || r.type === 'update_expression') return mentions(wordsOf(r, text), tracked);
  if (r.type === 'field_expression') return slice(r).includes('->') && mentions(wordsOf(r, text), tracked);
  return false;
}

export function calleeName(call: Node): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  if (fn.type === 'identifier') return fn.text;
  // C++: `::FltAllocateExtraCreateParameter(...)` is the global routine; `Ns::Helper` keeps its scope.
  if (fn.type === 'qualified_identifier') return fn.text.replace(/\s+/g, '').replace(/^::/, '');
  return '';
}

/**
 * A call that can change ECP state. A function of the program counts only when running it can
 * (it reaches an ECP routine, an IRQL change, a routine pointer): any other helper is applied
 * without running it, so its arguments and the branches that decide whether it is called are
 * not worth a path of their own. `scope`: how the calling function's names resolve (`FunctionDef.scope`).
 */
export function isInteresting(name: string, model: FileModel, scope?: Map<string, string>): boolean {
  if (!name) return false;
  const fn = functionNamed(model, scope?.get(name) ?? name);
  if (fn) return mayTouchEcp(model, fn);
  return Boolean(routineInfo(name)) || model.macros.has(scope?.get(name) ?? name) || isSpecialCallee(name) || model.routinePointers?.has(name) === true;
}

/** The words of the node's text (the fixpoint rounds ask again and again: read once). */
function wordsOf(r: Rec, text: string): string[] {
  return (r.words ??= nameWords(text.slice(r.start, r.end)));
}

function argWordsOf(r: Rec, text: string): string[] {
  return (r.argWords ??= nameWords(text.slice(r.argsStart, r.argsEnd)));
}

function mentions(words: string[], names: Set<string>): boolean {
  if (names.size === 0) return false;
  for (const word of words) if (names.has(word)) return true;
  return false;
}

