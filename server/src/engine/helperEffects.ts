/**
 * Whether running a called function can change anything the engine tracks. A helper that calls
 * no ECP routine (directly, through a macro, a routine pointer or its own helpers) and receives
 * no ECP object or driver create context can change the simulated kernel only through the IRQL.
 * When it changes none, or every way through it leaves the IRQL where it found it (a lock taken
 * and released inside), it is applied like a call the engine cannot see (out-parameters and
 * fields it may write are forgotten) instead of multiplying the caller's paths by its branches.
 */
import type { Ctx } from './context';
import { calleeOf, functionNamed, type FileModel, type FunctionDef, type FunctionMacro } from './fileModel';
import type { PathState } from './state';
import type { Val } from './values';
import { IRQL_RAISERS, IRQL_LOWERERS, POOL_FREES, isStatusMacro } from './specialCalls';
import { ECP_ROUTINE_WORD, routineInfo } from './catalogAccess';
import { callsThroughPointer } from './routinePointers';
import { runFunction } from './analyzeFunction';
import { holdsObject } from './settling';
import { treeText } from '../parsing/parser';
import { NAME_WORDS, nameWords, visitNamesThrough, withoutComments } from '../util/codeText';

const ECP_TEXT = new RegExp(String.raw`${ECP_ROUTINE_WORD}|ExtraCreateParameter`);
const IRQL_TEXT = new RegExp(`\\b(?:${[...Object.keys(IRQL_RAISERS), ...IRQL_LOWERERS, 'KeRaiseIrql'].join('|')})\\b`);

/** What a helper can reach, transitively: an ECP routine, an IRQL change. */
interface Reach {
  ecp: boolean;
  irql: boolean;
  /** The IRQL changes are its own (in its body or a macro it names), not only its callees'. */
  ownIrql: boolean;
  /** The functions of the program it calls. */
  callees: FunctionDef[];
}

interface ModelFacts {
  reach: Map<string, Reach>;
  /** Macros (function-like or object-like) whose expansion may touch ECP state. */
  macroReach: Map<string, boolean>;
  /** Helpers that leave the IRQL as they found it on every way through (null while being decided). */
  neutral: Map<string, boolean | null>;
  /** `ecpHelpersOf` by function. */
  helpers: Map<FunctionDef, FunctionDef[]>;
}

const byModel = new WeakMap<FileModel, ModelFacts>();

function factsOf(model: FileModel): ModelFacts {
  let facts = byModel.get(model);
  if (!facts) byModel.set(model, (facts = { reach: new Map(), macroReach: new Map(), neutral: new Map(), helpers: new Map() }));
  return facts;
}

function reachOf(model: FileModel, fn: FunctionDef, visiting = new Set<string>()): Reach {
  const known = factsOf(model).reach;
  const cached = known.get(fn.name);
  if (cached) return cached;
  visiting.add(fn.name);
  // Names in comments are prose: a helper whose comment mentions its ECP-using caller calls nothing.
  const text = withoutComments(fn.body.text);
  const ids = new Set(nameWords(text));
  const own = IRQL_TEXT.test(text);
  const reach: Reach = { ecp: ECP_TEXT.test(text) || callsThroughPointer(ids, text, model.routinePointers), irql: own, ownIrql: own, callees: [] };
  const called = calledNames(text);
  // Macros the body uses, and the macros their bodies use in turn (`NEW(l)` → `ALLOC(l)` → the routine).
  for (const macro of macrosUsed(model, fn, ids)) {
    if (reach.ecp) break;
    reach.ecp ||= ECP_TEXT.test(macro.body);
    const changes = IRQL_TEXT.test(macro.body);
    reach.irql ||= changes;
    reach.ownIrql ||= changes;
    // What a macro calls is called where it is used.
    for (const name of calledNames(macro.body)) called.add(name);
  }
  for (const id of new Set([...ids, ...called])) {
    if (reach.ecp) break;
    const callee = calleeOf(model, fn, id);
    if (!callee || callee.name === fn.name) continue;
    // A cycle is cut as "reaches ECP": unknown, so the precise run is kept.
    const inner = visiting.has(callee.name) ? { ecp: true, irql: true } : reachOf(model, callee, visiting);
    reach.ecp ||= inner.ecp;
    // A function only named (a callback handed to a routine that calls it later) does not run
    // at this call: its IRQL changes happen on its own thread of control, not on this path.
    if (!called.has(id)) continue;
    reach.callees.push(callee);
    reach.irql ||= inner.irql;
  }
  visiting.delete(fn.name);
  known.set(fn.name, reach);
  return reach;
}

/** The macros `fn`'s words name, each as its file means it, and those their bodies name, transitively. */
function macrosUsed(model: FileModel, fn: FunctionDef, words: Iterable<string>): FunctionMacro[] {
  const out: FunctionMacro[] = [];
  visitNamesThrough(words, (word) => {
    const macro = model.macros.get(fn.scope?.get(word) ?? word);
    if (!macro) return [];
    out.push(macro);
    return [macro.body];
  });
  return out;
}

/** The program functions `fn` calls, by its body or a macro it names (not through pointers). */
function directCallees(model: FileModel, fn: FunctionDef): FunctionDef[] {
  const text = withoutComments(fn.body.text);
  const called = calledNames(text);
  for (const macro of macrosUsed(model, fn, nameWords(text))) for (const name of calledNames(macro.body)) called.add(name);
  const out: FunctionDef[] = [];
  for (const name of called) {
    const callee = calleeOf(model, fn, name);
    if (callee && callee !== fn) out.push(callee);
  }
  return out;
}

/**
 * The helpers a run of `fn` runs at their calls, transitively, breadth first and at most `max`:
 * those that may touch ECP state (a helper that does not is applied without running its body).
 * A run reads each one's relevance at its first statement; reading them ahead lets that pause.
 */
export function ecpHelpersOf(model: FileModel, fn: FunctionDef, max = 256): FunctionDef[] {
  const facts = factsOf(model);
  const cached = facts.helpers.get(fn);
  if (cached) return cached;
  const seen = new Set<FunctionDef>([fn]);
  const out: FunctionDef[] = [];
  for (let queue = [fn], i = 0; i < queue.length && out.length < max; i++) {
    for (const callee of directCallees(model, queue[i])) {
      if (seen.has(callee)) continue;
      seen.add(callee);
      if (!mayTouchEcp(model, callee)) continue;
      out.push(callee);
      queue.push(callee);
      if (out.length >= max) break;
    }
  }
  facts.helpers.set(fn, out);
  return out;
}

/** Names written as a call (`name (`) in `text`. */
function calledNames(text: string): Set<string> {
  return new Set([...text.matchAll(new RegExp(`(${NAME_WORDS.source})\\s*\\(`, 'g'))].map((m) => m[1]));
}

/** Whether running `fn` at its call can change the simulated kernel (ECP objects or the IRQL). */
export function mayTouchEcp(model: FileModel, fn: FunctionDef): boolean {
  const reach = reachOf(model, fn);
  return reach.ecp || (reach.irql && !leavesIrqlAsFound(model, fn));
}

/** Isolated runs of IRQL-only helpers are small: a helper beyond this is run at its calls. */
const NEUTRAL_LIMITS = { maxPaths: 64, maxStatements: 20_000, maxMillis: Number.MAX_SAFE_INTEGER };

/**
 * Runs an IRQL-only helper on its own, with unknown arguments (a superset of the ways any caller
 * can take through it): neutral when it was walked to the end and every way out of it returns at
 * the IRQL it started at. A helper that raises without lowering (a lock wrapper), is cut by the
 * bound, never returns, or is being decided higher up the call chain is not.
 */
function leavesIrqlAsFound(model: FileModel, fn: FunctionDef): boolean {
  const neutral = factsOf(model).neutral;
  const known = neutral.get(fn.name);
  if (known !== undefined) return known === true;
  neutral.set(fn.name, null);
  const reach = reachOf(model, fn);
  // Changing no IRQL itself, it leaves it as found when every helper it calls does.
  const result = reach.ownIrql ? runLeavesIrqlAsFound(model, fn) : reach.callees.every((c) => !reachOf(model, c).irql || leavesIrqlAsFound(model, c));
  neutral.set(fn.name, result);
  return result;
}

function runLeavesIrqlAsFound(model: FileModel, fn: FunctionDef): boolean {
  const run = runFunction(model, fn, treeText(fn.body), { limits: NEUTRAL_LIMITS });
  const returning = run.completed.filter((p) => !p.ended?.bugCheck);
  return !run.boundHit && returning.length > 0 && returning.every((p) => p.kernel.irql === fn.startIrql);
}

/** An argument carries something the kernel tracks: an ECP object (or the address of a variable holding one), or a driver create context. */
export function carriesEcpState(st: PathState, vals: Val[], argTexts: string[]): boolean {
  if (vals.some((v) => holdsObject(st, v))) return true;
  const contexts = st.kernel.objects().filter((o) => o.kind === 'driver-create-context').map((o) => (o as { name: string }).name.split(/[.-]/)[0]);
  return contexts.length > 0 && argTexts.some((t) => contexts.some((c) => new RegExp(`\\b${c}\\b`).test(t)));
}

export function runsOpaque(ctx: Ctx, st: PathState, fn: FunctionDef, vals: Val[], argTexts: string[]): boolean {
  return !mayTouchEcp(ctx.model, fn) && !carriesEcpState(st, vals, argTexts);
}

/**
 * Whether a word of the code, where it is called or named, can change ECP state: an ECP routine
 * (or `IoInitializeDriverCreateContext`, a driver create context's `ExtraCreateParameter`), a
 * function of the program that may touch ECP state, a macro whose expansion may, a pointer to an
 * ECP routine. Pool frees and status-check macros are not: they act on ECP objects only through
 * a variable holding one, which a path that has such a variable keeps apart anyway (settling.ts).
 * `scope`: how the function's names resolve (`FunctionDef.scope`).
 */
export function isEcpOperationWord(model: FileModel, word: string, scope?: Map<string, string>): boolean {
  if (POOL_FREES.has(word) || isStatusMacro(word)) return false;
  if (routineInfo(word) || ECP_TEXT.test(word) || word === 'IoInitializeDriverCreateContext') return true;
  const name = scope?.get(word) ?? word;
  const fn = functionNamed(model, name);
  if (fn) return mayTouchEcp(model, fn);
  if (model.macros.has(name) || model.defines.has(name)) return macroMayTouchEcp(model, name);
  // A pointer is called by its last name (`gApi.Insert(...)`), as `callsThroughPointer` reads it.
  for (const key of model.routinePointers?.keys() ?? []) if (key.replace(/^.*(?:\.|->)/, '') === word) return true;
  return false;
}

/**
 * A macro whose expansion names an ECP routine, a routine pointer or a program function that may
 * touch ECP state, directly or through the macros and defines its body names, transitively.
 */
export function macroMayTouchEcp(model: FileModel, name: string): boolean {
  const known = factsOf(model).macroReach;
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  let reaches = false;
  visitNamesThrough([name], (word) => {
    if (reaches) return [];
    const body = model.macros.get(word)?.body ?? model.defines.get(word);
    if (body === undefined) {
      const fn = functionNamed(model, word);
      reaches = fn !== undefined && mayTouchEcp(model, fn);
      return [];
    }
    const text = withoutComments(body);
    reaches = ECP_TEXT.test(text) || callsThroughPointer(new Set(nameWords(text)), text, model.routinePointers);
    return [text];
  });
  known.set(name, reaches);
  return reaches;
}
