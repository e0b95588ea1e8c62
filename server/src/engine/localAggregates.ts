/**
 * Fields of a local structure variable (`LS_OPEN_REQUEST req; ... &req.EcpList`). An object stored
 * in a field is normally handed off: a field may be reachable from a parameter, a global or the
 * heap. A field of a structure that lives on this function's stack, and that the function never
 * hands on as a whole (no `&req` to a call, no `req` copied, returned or captured), is as private
 * as a local variable: what it holds is still the function's to free.
 */
import type { Node } from '../parsing/parser';
import type { Ctx } from './context';
import { type PathState, isLocal, lookupVar, varType } from './state';

/** Calls that only clear or fill the structure they are given. */
const FILLERS = new Set(['RtlZeroMemory', 'RtlSecureZeroMemory', 'memset', 'RtlFillMemory']);

const sealedCache = new WeakMap<Ctx, Map<string, boolean>>();

/**
 * Whether the field key (`@req.EcpList`, as `fieldKey` writes it) names a field of a local
 * structure the function keeps to itself. `at` is a node of the statement being run, used to find
 * the function whose text is read.
 */
export function isPrivateLocalField(ctx: Ctx, st: PathState, key: string, at: Node | undefined): boolean {
  if (!key.startsWith('@') || key.includes('->') || !at) return false;
  const base = key.slice(1).split('.')[0];
  if (!base || !isLocal(st, base)) return false;
  const type = varType(st, base) ?? '';
  if (/[*&[]/.test(type)) return false;
  let fn: Node | null = at;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return false;
  let cache = sealedCache.get(ctx);
  if (!cache) sealedCache.set(ctx, (cache = new Map()));
  const cacheKey = `${fn.id}:${base}`;
  let sealed = cache.get(cacheKey);
  if (sealed === undefined) cache.set(cacheKey, (sealed = keptToItself(fn, base)));
  return sealed;
}

/**
 * The scope a private field lives in: its structure's (a field first written in an inner block
 * is still read after the block ends).
 */
export function baseScope(st: PathState, key: string): number {
  const base = key.slice(1).split('.')[0];
  const found = lookupVar(st, base);
  if (found) return found.scope;
  for (let i = st.scopes.length - 1; i >= 0; i--) if (st.scopes[i].types.has(base)) return i;
  return st.scopes.length - 1;
}

/** Every mention of `name` in the function is a `.` field access, a sizeof, a filler's `&name` or its declaration. */
function keptToItself(fn: Node, name: string): boolean {
  let declared = false;
  for (const id of fn.descendantsOfType('identifier')) {
    if (!id || id.text !== name) continue;
    if (insideLambda(id, fn)) return false;
    const parent = id.parent;
    if (!parent) return false;
    if (parent.type === 'field_expression' && parent.childForFieldName('argument')?.id === id.id) {
      if (parent.childForFieldName('operator')?.text !== '.') return false;
      continue;
    }
    if (isDeclarator(id)) {
      declared = true;
      continue;
    }
    if (insideSizeof(id, fn) || isFillerTarget(id)) continue;
    return false;
  }
  return declared;
}

/** `T name;` or `T name = {0};` (a plain declarator, not a pointer, array or reference). */
function isDeclarator(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === 'declaration') return parent.childForFieldName('type')?.id !== id.id;
  if (parent.type === 'init_declarator') return parent.childForFieldName('declarator')?.id === id.id && parent.parent?.type === 'declaration';
  return false;
}

function insideSizeof(id: Node, fn: Node): boolean {
  for (let n: Node | null = id.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'sizeof_expression') return true;
    if (n.type === 'call_expression' || n.type === 'expression_statement') return false;
  }
  return false;
}

function insideLambda(id: Node, fn: Node): boolean {
  for (let n: Node | null = id.parent; n && n.id !== fn.id; n = n.parent) if (n.type === 'lambda_expression') return true;
  return false;
}

/** `&name` (or `name`) as the first argument of RtlZeroMemory and the like. */
function isFillerTarget(id: Node): boolean {
  let n: Node = id;
  if (n.parent?.type === 'pointer_expression') n = n.parent;
  while (n.parent?.type === 'parenthesized_expression' || n.parent?.type === 'cast_expression') n = n.parent;
  const args = n.parent;
  if (args?.type !== 'argument_list' || args.namedChild(0)?.id !== n.id) return false;
  const callee = args.parent?.childForFieldName('function')?.text ?? '';
  return FILLERS.has(callee);
}
