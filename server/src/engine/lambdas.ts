/** C++ lambdas stored in locals: which lambda a call names, and what a lambda captures. */
import type { Node } from '../parsing/parser';
import type { Ctx } from './context';
import { type PathState, lookupVar } from './state';
import { declaredName } from './fileModel';
import { escapeVal } from './expr';
import { nameWords } from '../util/codeText';

const found = new WeakMap<Ctx, Map<string, Node | null>>();

/** The lambda a call such as `release()` runs: the local it names was initialised or assigned with one. */
export function lambdaFor(ctx: Ctx, st: PathState, call: Node): Node | undefined {
  const callee = call.childForFieldName('function');
  return callee ? lambdaNamed(ctx, st, callee) : undefined;
}

/** The lambda stored in the local this identifier names, if any. */
export function lambdaNamed(ctx: Ctx, st: PathState, callee: Node): Node | undefined {
  if (callee.type !== 'identifier' || !lookupVar(st, callee.text)) return undefined;
  let fn: Node | null = callee.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn || !fn.text.includes('[')) return undefined;
  let cache = found.get(ctx);
  if (!cache) found.set(ctx, (cache = new Map()));
  const key = `${fn.id}:${callee.text}`;
  if (!cache.has(key)) cache.set(key, storedLambda(fn, callee.text));
  return cache.get(key) ?? undefined;
}

function storedLambda(fn: Node, name: string): Node | null {
  for (const n of fn.descendantsOfType(['init_declarator', 'assignment_expression'])) {
    if (!n) continue;
    const target = n.type === 'init_declarator' ? declaredName(n.childForFieldName('declarator')) : n.childForFieldName('left')?.text;
    const value = n.childForFieldName(n.type === 'init_declarator' ? 'value' : 'right');
    if (target === name && value?.type === 'lambda_expression') return value;
  }
  return null;
}

/**
 * A lambda handed to code the engine cannot see (a scope guard, a callback) may run later with
 * what it captured: the objects its body names escape, so no leak is guessed.
 */
export function escapeCaptures(st: PathState, lambda: Node): void {
  const body = lambda.childForFieldName('body');
  for (const word of new Set(nameWords(body?.text ?? ''))) {
    const v = lookupVar(st, word);
    if (v) escapeVal(st, v.val);
  }
}
