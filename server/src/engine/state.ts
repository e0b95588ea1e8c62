/** One path's state: the simulated kernel, variable scopes, the continuation stack and the story so far. */
import type { LiveNames } from './liveness';
import { holdsEcpState } from './settling';
import type { Kernel, KernelObj, Site, ObjId, KernelSnapshot } from '../kernel/types';
import type { Node } from '../parsing/parser';
import { type Val, UNKNOWN, valKey } from './values';

export interface Scope {
  vars: Map<string, Val>;
  /** Declared type text per variable, for sizeof and driver-context recognition. */
  types: Map<string, string>;
}

/** A frame of the continuation stack. Execution is iterative: frames, never recursion. */
export type Frame =
  | { kind: 'block'; stmts: Node[]; i: number; site?: Site }
  | { kind: 'loop'; node: Node; iteration: number; site?: Site }
  | { kind: 'loop-exit'; site?: Site } //                         break target of a loop
  | { kind: 'switch'; site?: Site } //                            break target of a switch
  | { kind: 'finally'; body: Node; site?: Site } //                runs when the __try body is left
  | { kind: 'try'; site?: Site } //                                __leave target
  | { kind: 'resume'; exit: PendingExit } //                        continue an exit after a __finally
  | { kind: 'call'; scopeDepth: number; resultVar: string | null; callerSite: Site; fn: string };

export type PendingExit =
  | { kind: 'return'; value: Val; site: Site }
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'leave' }
  | { kind: 'goto'; label: string; site: Site };

export interface PathStep {
  site: Site;
  message: string;
  /** Order on the path (steps are trimmed, so indexes are not stable). */
  seq?: number;
}

/** Where an object entered this path: the step count then, and for objects made inside an inlined
 * helper, the call in the analysed function that led there. */
export interface Origin {
  seq: number;
  /** The catalog operation that produced it (allocateEcp, remove, find...). */
  op?: string;
  /** Where this function took ownership, when that is not where the object was made (a Remove). */
  site?: Site;
  callSite?: Site;
  callee?: string;
  /** Stored through an out-parameter of the analysed function (a pointer the caller may read, not a hand-off of an ECP later rejected by an insert). */
  publishedAt?: Site;
  /** The get-next type out-parameter that holds this ECP's GUID (the latest walk step's). */
  typeVar?: string;
  /**
   * The helper that made it returned a failure status on this path (the status and the call that
   * failed): it handed the object back while telling its caller that it failed.
   */
  helperFailed?: { status: string; routine: string; site: Site };
}

export interface PathState {
  kernel: Kernel;
  scopes: Scope[];
  stack: Frame[];
  steps: PathStep[];
  /** Objects a FltIsEcpFromUserMode/FsRtlIsEcpFromUserMode check has covered. */
  userModeChecked: Set<ObjId>;
  /** Bit d: the function at call depth d allocated an ECP (or a helper it called did): the
   * create-context rule asks it of the function whose create it checks. An empty list is no ECP. */
  builtEcps: number;
  origins: Map<ObjId, Origin>;
  seq: number;
  /** Set when the path ended (return, end of body, bug check). */
  ended: null | { site: Site; bugCheck: boolean };
  /** Return value of the innermost inlined call, consumed by the caller frame. */
  returnValue: Val;
  callDepth: number;
  /** Present only when the run is traced for the simulator: one event per ECP routine call. */
  trace?: TraceEvent[];
}

/** One ECP routine call on a traced path, with the kernel state right after it. */
export interface TraceEvent {
  site: Site;
  routine: string;
  args: string[];
  status: string | null;
  irql: number;
  /** Rule codes the call raised on this path. */
  violations: string[];
  snapshot: KernelSnapshot;
}

const MAX_STEPS_KEPT = 24;

export function clonePath(s: PathState): PathState {
  return {
    kernel: s.kernel.clone(),
    scopes: s.scopes.map((sc) => ({ vars: new Map(sc.vars), types: sc.types })),
    stack: s.stack.map((f) => (f.kind === 'block' ? { ...f } : f.kind === 'loop' ? { ...f } : f)),
    steps: s.steps.slice(),
    userModeChecked: new Set(s.userModeChecked),
    builtEcps: s.builtEcps,
    origins: new Map(s.origins),
    seq: s.seq,
    ended: s.ended,
    returnValue: s.returnValue,
    callDepth: s.callDepth,
    trace: s.trace?.slice(),
  };
}

export function addStep(s: PathState, site: Site, message: string): void {
  s.steps.push({ site, message, seq: ++s.seq });
  trimSteps(s.steps);
}

/** A path keeps its first step and the latest ones (in place; returns the array). */
export function trimSteps(steps: PathStep[]): PathStep[] {
  if (steps.length > MAX_STEPS_KEPT) steps.splice(1, steps.length - MAX_STEPS_KEPT);
  return steps;
}

/**
 * Looks a variable up from the innermost scope of the current call outwards to its frame base.
 * A C++ reference parameter bound to a caller's variable (`@ref:NAME`, see `runCall`) resolves to
 * that variable: `name` is then the caller's name, in the caller's scope.
 */
export function lookupVar(s: PathState, name: string): { scope: number; val: Val; name: string } | undefined {
  for (let i = s.scopes.length - 1; i >= 0; i--) {
    const v = s.scopes[i].vars.get(name);
    if (v !== undefined) return { scope: i, val: v, name };
    const ref = s.scopes[i].vars.get(`@ref:${name}`);
    if (ref?.k === 'addr') {
      const held = s.scopes[ref.scope]?.vars.get(ref.name);
      return held === undefined ? undefined : { scope: ref.scope, val: held, name: ref.name };
    }
    if (s.scopes[i].types.has(`@call-boundary`)) break;
  }
  return undefined;
}

export function readVar(s: PathState, name: string): Val {
  return lookupVar(s, name)?.val ?? UNKNOWN;
}

export function varType(s: PathState, name: string): string | undefined {
  for (let i = s.scopes.length - 1; i >= 0; i--) {
    const t = s.scopes[i].types.get(name);
    if (t !== undefined) return t;
    if (s.scopes[i].types.has('@call-boundary')) break;
  }
  return undefined;
}

export function isLocal(s: PathState, name: string): boolean {
  return lookupVar(s, name) !== undefined || varType(s, name) !== undefined;
}

export function writeVar(s: PathState, name: string, val: Val): boolean {
  const found = lookupVar(s, name);
  if (!found) return false;
  s.scopes[found.scope].vars.set(found.name, val);
  return true;
}

/** Statements after which paths that took different ways through them meet again. */
const JOINS = new Set(['if_statement', 'switch_statement', 'while_statement', 'for_statement', 'do_statement', 'seh_try_statement', 'labeled_statement', 'expression_statement']);

/**
 * True when the path stands just after a join statement in a state already recorded in `seen`
 * (the path would only repeat one explored before); records the state otherwise.
 */
export function repeatsAtJoin(st: PathState, seen: Set<string>, live?: LiveNames, known?: string): boolean {
  const top = st.stack[st.stack.length - 1];
  if (!top || top.kind !== 'block' || top.i === 0) return false;
  const previous = top.stmts[top.i - 1];
  if (!previous || !JOINS.has(previous.type)) return false;
  const sig = known ?? stateSignature(st, live);
  if (seen.has(sig)) {
    if (live && isSettledSignature(sig)) live.settledMerges++;
    return true;
  }
  seen.add(sig);
  return false;
}

/**
 * The signature a fork computed for a path it pushed (`rememberForkSignature`), taken when the
 * path is popped: unchanged in between, it is the signature `repeatsAtJoin` would compute again
 * (a routine's outcomes fork just after an expression statement, a join). Taken at every pop,
 * so a path stepped (changed) since is never matched by a stale one.
 */
const forkSignatures = new WeakMap<PathState, { live: LiveNames | undefined; sig: string }>();

export function rememberForkSignature(s: PathState, live: LiveNames | undefined, sig: string): void {
  forkSignatures.set(s, { live, sig });
}

export function takeForkSignature(s: PathState, live: LiveNames | undefined): string | undefined {
  const known = forkSignatures.get(s);
  if (!known) return undefined;
  forkSignatures.delete(s);
  return known.live === live ? known.sig : undefined;
}

/**
 * A key that is equal for two paths that will behave identically from here on. With `live`, local
 * values the path can no longer read are left out, so paths that differ only in them are one.
 * `withReturn`: the path has just left a call of `callee` and its caller is about to read the value.
 */
export function stateSignature(s: PathState, live?: LiveNames, withReturn = false, callee = ''): string {
  // A signature with the return value is one of a path leaving a call (runUntilReturn), `callee`.
  const place = stackKey(s);
  const view = live?.view(s.stack, withReturn ? callee : undefined, place);
  const isLive = view?.isLive;
  // Settled (settling.ts): the place and the kernel alone decide what the path does from here.
  const settled = view !== undefined && !view.ecpAhead && !holdsEcpState(s, view.isLive, withReturn);
  const parts: string[] = [settled ? 'S' : 'P', place];
  // The variables the path may still read, per scope (each name's liveness asked once).
  const liveVars = s.scopes.map((sc) => [...sc.vars].filter(([k]) => !isLive || isLive(k)));
  const objects = s.kernel.objects();
  const kept = keptObjects(objects, liveVars, withReturn ? s.returnValue : UNKNOWN);
  // Objects are numbered by their order among the kept ones, not by their ids: two paths that
  // allocated (and freed) different numbers of objects before reaching the same state are one.
  const rank = new Map<ObjId, number>();
  for (const o of objects) if (kept.has(o.id)) rank.set(o.id, rank.size);
  const key = (v: Val): string => (v.k === 'obj' ? `o${rank.get(v.id) ?? `?${v.id}`}` : valKey(v));
  const ref = (id: ObjId | null | 'unknown'): string => (typeof id === 'number' ? `${rank.get(id) ?? `?${id}`}` : `${id}`);
  for (const vars of liveVars) {
    for (const [k, v] of vars) parts.push(settled ? k : `${k}=${key(v)}`);
    parts.push('|');
  }
  for (const o of objects) {
    if (!kept.has(o.id)) continue;
    // Where an object was allocated is part of it: two paths that allocated at different sites
    // report their leaks at different sites.
    if (o.kind === 'ecp-list') parts.push(`L@${o.site.line}:${o.site.character}${o.state}${o.owner}${o.members.map(ref).join(',')}${JSON.stringify(o.attachedTo)}${s.kernel.membersKnown(o.id) ? '' : '?'}`);
    else if (o.kind === 'ecp-context') parts.push(`E@${o.site.line}:${o.site.character}${o.state}${o.owner}${ref(o.list)}${o.acknowledged ? 1 : 0}`);
    else if (o.kind === 'lookaside') parts.push(`K${ref(o.id)}${o.state}${o.outstanding}`);
    else parts.push(`D${ref(o.id)}${o.initialized ? 1 : 0}${ref(o.extraCreateParameter)}`);
  }
  parts.push(`irql${s.kernel.irql}`, `u${[...s.userModeChecked].filter((id) => kept.has(id)).map(ref).join(',')}`, `B${s.builtEcps}`);
  if (withReturn && !settled) parts.push(`=>${key(s.returnValue)}`);
  return parts.join(';');
}

/** A signature made for a settled path (`stateSignature`). */
export function isSettledSignature(sig: string): boolean {
  return sig.startsWith('S;');
}

/** Where the path stands: each frame's statement or loop iteration. */
export function stackKey(s: PathState): string {
  const parts: string[] = [];
  for (const f of s.stack) {
    if (f.kind === 'block') parts.push(`b${f.stmts[0]?.id ?? 0}:${f.i}`);
    else if (f.kind === 'loop') parts.push(`l${f.node.id}:${f.iteration}`);
    else parts.push(f.kind[0]);
  }
  return parts.join(';');
}

/**
 * The objects that can still affect the path: all but freed ECP lists and contexts that nothing the
 * path can read refers to (no variable it may still read, no kept object, no driver create
 * context). Such an object can never be freed again, used or leaked: paths that differ only in
 * them behave alike.
 */
function keptObjects(objects: readonly KernelObj[], liveVars: [string, Val][][], returned: Val): Set<ObjId> {
  const isDead = (o: KernelObj): boolean => (o.kind === 'ecp-list' || o.kind === 'ecp-context') && o.state === 'freed';
  const kept = new Set<ObjId>();
  for (const o of objects) if (!isDead(o)) kept.add(o.id);
  // Most states hold no freed object: all are kept, nothing to follow.
  if (kept.size === objects.length) return kept;
  const pending: ObjId[] = [...kept];
  const hold = (id: ObjId | null | 'unknown'): void => {
    if (typeof id === 'number' && !kept.has(id)) {
      kept.add(id);
      pending.push(id);
    }
  };
  for (const vars of liveVars) for (const [, v] of vars) if (v.k === 'obj') hold(v.id);
  if (returned.k === 'obj') hold(returned.id);
  const byId = new Map(objects.map((o) => [o.id, o] as const));
  while (pending.length > 0) {
    const o = byId.get(pending.pop()!);
    if (o?.kind === 'ecp-list') o.members.forEach(hold);
    else if (o?.kind === 'ecp-context') hold(o.list);
    else if (o?.kind === 'driver-create-context') hold(o.extraCreateParameter);
  }
  return kept;
}

/** Records where an object produced by a routine entered the analysed function's path. */
export function recordOrigin(s: PathState, id: ObjId, op?: string, site?: Site): void {
  if (op === 'remove') {
    // Removing takes ownership: from here on the function must free or re-insert it.
    s.origins.set(id, { seq: s.seq, op, site });
    return;
  }
  if (s.origins.has(id)) return;
  const outer = s.stack.find((f) => f.kind === 'call') as Extract<Frame, { kind: 'call' }> | undefined;
  s.origins.set(id, { seq: s.seq, op, callSite: outer?.callerSite, callee: outer?.fn });
}
