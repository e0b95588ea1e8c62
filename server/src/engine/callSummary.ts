/**
 * Call summaries. A function called on the path runs on the caller's state (inline.ts), so what it
 * does depends only on what it can see of that state: its arguments, the caller's variables they
 * point to, the simulated kernel and the path's ECP bookkeeping. Paths that reach the same call in
 * states that differ only in what the callee cannot see (a flag the caller tests later, a status it
 * logged) would run the callee again and again to the same ends. The first run is kept as a
 * summary: its entry state and the states it left the call in. A later call that enters in a state
 * the callee cannot tell apart takes each of those ends, rebased onto its own state (the callee's
 * changes applied, the caller's own variables kept), without running the body again.
 */
import type { Site } from '../kernel/types';
import type { FunctionDef } from './fileModel';
import type { Frame, PathState, PathStep } from './state';
import { clonePath, trimSteps } from './state';
import type { Val } from './values';

export interface CallSummary {
  /** The caller's state when the first such call began (a copy, never changed). */
  entry: PathState;
  /** The states that call left in (copies, never changed); ended ones stopped inside it. */
  ends: PathState[];
  /** Set when paths merged as settled inside the call: the caller's context they depended on (settling.ts). */
  settledAt?: string;
}

/** Summaries of one run of a function, by what the callee can see at its call. */
export type CallSummaries = Map<string, CallSummary>;

const MAX_SUMMARIES = 2000;

/**
 * Everything the callee can read of `st` at this call, exactly (`guids`: the GUIDs the arguments
 * name): equal keys mean the callee runs the same way from both states.
 */
export function summaryKey(st: PathState, fn: FunctionDef, vals: Val[], site: Site, guids: string[]): string {
  const outer = st.stack.find((f) => f.kind === 'call') as Extract<Frame, { kind: 'call' }> | undefined;
  const parts: unknown[] = [
    fn.file ?? '', fn.name, fn.node.startIndex, fn.node.id, site, st.callDepth, outer ? [outer.callerSite, outer.fn] : null, vals, guids,
    visibleVariables(st, vals), fieldNames(st), st.kernel.exactKey(), [...st.userModeChecked].sort((a, b) => a - b), st.builtEcps,
    [...st.origins].map(([id, o]) => [id, { ...o, seq: undefined }]), st.trace !== undefined,
  ];
  return JSON.stringify(parts);
}

/** The caller's variables the arguments point to (`&x`, `&s.f`), and what those hold in turn. */
function visibleVariables(st: PathState, vals: Val[]): [number, string, Val][] {
  const out: [number, string, Val][] = [];
  const seen = new Set<string>();
  const pending = vals.filter((v): v is Extract<Val, { k: 'addr' }> => v.k === 'addr');
  while (pending.length > 0) {
    const a = pending.pop()!;
    const id = `${a.scope}:${a.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const base = a.name.startsWith('@') ? a.name : `@${a.name}`;
    for (const [name, v] of st.scopes[a.scope]?.vars ?? []) {
      if (name !== a.name && !name.startsWith(`${base}.`) && !name.startsWith(`${base}->`)) continue;
      out.push([a.scope, name, v]);
      if (v.k === 'addr') pending.push(v);
    }
  }
  return out.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
}

/** Field variables of the caller's scopes, by name only: a callee forgets fields by name. */
function fieldNames(st: PathState): string[] {
  const names: string[] = [];
  st.scopes.forEach((sc, i) => {
    for (const name of sc.vars.keys()) if (name.startsWith('@')) names.push(`${i}${name}`);
  });
  return names.sort();
}

export function rememberSummary(summaries: CallSummaries, key: string, entry: PathState, ends: PathState[], settledAt?: string): void {
  // Past the limit a key already held may still be replaced (a summary from another settled context).
  if (summaries.size >= MAX_SUMMARIES && !summaries.has(key)) return;
  summaries.set(key, { entry, ends: ends.map(clonePath), settledAt });
}

/**
 * The states `target` leaves the call in, by the summary: for each end, the target's own state
 * with what the callee changed (kernel, the caller's variables it wrote, bookkeeping, the steps
 * it added, renumbered after the target's), and the frames of an end that stopped inside it.
 */
export function applySummary(summary: CallSummary, target: PathState): PathState[] {
  const { entry } = summary;
  const base = entry.stack.length;
  const shift = target.seq - entry.seq;
  return summary.ends.map((end) => {
    const r = clonePath(target);
    r.kernel = end.kernel.clone();
    const callerScopes = entry.scopes.length;
    for (let i = 0; i < callerScopes; i++) {
      const before = entry.scopes[i].vars;
      const after = end.scopes[i]?.vars ?? new Map<string, Val>();
      const into = r.scopes[i].vars;
      for (const [name, v] of after) if (before.get(name) !== v) into.set(name, v);
      for (const name of before.keys()) if (!after.has(name)) into.delete(name);
    }
    for (const sc of end.scopes.slice(callerScopes)) r.scopes.push({ vars: new Map(sc.vars), types: sc.types });
    for (const f of end.stack.slice(base)) r.stack.push(f.kind === 'block' || f.kind === 'loop' ? { ...f } : f);
    r.steps = trimSteps([...target.steps, ...end.steps.filter((s) => (s.seq ?? 0) > entry.seq).map((s) => renumbered(s, shift))]);
    r.seq = end.seq + shift;
    // An origin the callee recorded holds the step count then (the entry's count when no step
    // came first): it is renumbered like the steps, onto the target's count.
    for (const [id, o] of end.origins) if (entry.origins.get(id) !== o) r.origins.set(id, { ...o, seq: o.seq + shift });
    r.userModeChecked = new Set(end.userModeChecked);
    r.builtEcps = end.builtEcps;
    r.ended = end.ended;
    r.returnValue = end.returnValue;
    r.callDepth = end.callDepth;
    if (target.trace && end.trace && entry.trace) r.trace = [...target.trace, ...end.trace.slice(entry.trace.length)];
    return r;
  });
}

function renumbered(s: PathStep, shift: number): PathStep {
  return s.seq === undefined ? s : { ...s, seq: s.seq + shift };
}
