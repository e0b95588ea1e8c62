/**
 * Whether running a called function can change anything the engine tracks. A helper that calls
 * no ECP routine (directly, through a macro, a routine pointer or its own helpers), changes no
 * IRQL and receives no ECP object or driver create context cannot change the simulated kernel:
 * it is applied like a call the engine cannot see (out-parameters and fields it may write are
 * forgotten), instead of multiplying the caller's paths by its own branches.
 */
import type { Ctx } from './context';
import type { FileModel, FunctionDef } from './fileModel';
import type { PathState } from './state';
import type { Val } from './values';
import { IRQL_RAISERS, IRQL_LOWERERS } from './specialCalls';
import { callsThroughPointer } from './routinePointers';

const ECP_TEXT = /\b(?:Flt|FsRtl|Io)\w*(?:ExtraCreateParameter|Ecp|CreateFileEx2?|DriverCreateContext)\w*|ExtraCreateParameter|\bKeRaiseIrql\b/;
const IRQL_TEXT = new RegExp(`\\b(?:${[...Object.keys(IRQL_RAISERS), ...IRQL_LOWERERS].join('|')})\\b`);
const IDENT = /[A-Za-z_]\w*/g;

const byModel = new WeakMap<FileModel, Map<string, boolean>>();

export function mayTouchEcp(model: FileModel, fn: FunctionDef, visiting = new Set<string>()): boolean {
  let known = byModel.get(model);
  if (!known) byModel.set(model, (known = new Map()));
  const cached = known.get(fn.name);
  if (cached !== undefined) return cached;
  visiting.add(fn.name);
  const text = fn.body.text;
  const ids = new Set(text.match(IDENT) ?? []);
  let touches = ECP_TEXT.test(text) || IRQL_TEXT.test(text) || callsThroughPointer(ids, text, model.routinePointers);
  for (const id of ids) {
    if (touches) break;
    const macro = model.macros.get(id);
    if (macro && (ECP_TEXT.test(macro.body) || IRQL_TEXT.test(macro.body))) touches = true;
    const callee = model.functions.get(id);
    // A cycle is cut as "touches": unknown, so the precise run is kept.
    if (callee && callee.name !== fn.name && (visiting.has(id) || mayTouchEcp(model, callee, visiting))) touches = true;
  }
  visiting.delete(fn.name);
  known.set(fn.name, touches);
  return touches;
}

/** An argument carries something the kernel tracks: an ECP object (or the address of a variable holding one), or a driver create context. */
export function carriesEcpState(st: PathState, vals: Val[], argTexts: string[]): boolean {
  for (const v of vals) {
    if (v.k === 'obj') return true;
    if (v.k === 'addr' && st.scopes[v.scope]?.vars.get(v.name)?.k === 'obj') return true;
  }
  const contexts = st.kernel.objects().filter((o) => o.kind === 'driver-create-context').map((o) => (o as { name: string }).name.split(/[.-]/)[0]);
  return contexts.length > 0 && argTexts.some((t) => contexts.some((c) => new RegExp(`\\b${c}\\b`).test(t)));
}

export function runsOpaque(ctx: Ctx, st: PathState, fn: FunctionDef, vals: Val[], argTexts: string[]): boolean {
  return !mayTouchEcp(ctx.model, fn) && !carriesEcpState(st, vals, argTexts);
}
