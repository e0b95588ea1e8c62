/**
 * Whether the code tests the status a call returns: the call sits in a condition, or its result is
 * kept in a variable whose next use is a test. An insert whose status is tested has error handling,
 * so its documented failure is explored even into a list that cannot hold a duplicate.
 */
import type { Node } from '../parsing/parser';
import { isStatusMacro } from './specialCalls';

const STATUS_TESTS = new Set(['NT_SUCCESS', 'NT_ERROR', 'NT_WARNING', 'NT_INFORMATION', 'FAILED', 'SUCCEEDED']);
const CONDITION_OPERATORS = new Set(['&&', '||', '==', '!=', '<', '<=', '>', '>=', '!']);
const WRAPPERS = new Set(['parenthesized_expression', 'cast_expression', 'condition_clause']);

const cache = new WeakMap<object, Map<number, boolean>>();

export function statusTested(call: Node): boolean {
  const key = call.tree as unknown as object;
  let byNode = cache.get(key);
  if (!byNode) cache.set(key, (byNode = new Map()));
  let known = byNode.get(call.id);
  if (known === undefined) byNode.set(call.id, (known = compute(call)));
  return known;
}

function compute(call: Node): boolean {
  let n = call;
  while (n.parent && WRAPPERS.has(n.parent.type)) n = n.parent;
  if (inTest(n)) return true;
  const holder = heldIn(n);
  if (!holder) return false;
  const fnBody = enclosingBody(n);
  if (!fnBody) return false;
  const next = nextUse(fnBody, holder, n.endIndex);
  return next !== null && inTest(next);
}

/** The node is (part of) a condition, or an argument of a status test or status-check macro. */
function inTest(node: Node): boolean {
  let n = node;
  for (let p = n.parent; p; n = p, p = p.parent) {
    const t = p.type;
    if (WRAPPERS.has(t)) continue;
    if ((t === 'if_statement' || t === 'while_statement' || t === 'do_statement' || t === 'switch_statement') && p.childForFieldName('condition')?.id === n.id) return true;
    if (t === 'for_statement' && p.childForFieldName('condition')?.id === n.id) return true;
    if (t === 'conditional_expression' && p.childForFieldName('condition')?.id === n.id) return true;
    if ((t === 'binary_expression' || t === 'unary_expression') && CONDITION_OPERATORS.has(p.childForFieldName('operator')?.type ?? '')) return true;
    if (t === 'argument_list') {
      const callee = p.parent?.childForFieldName('function')?.text.trim() ?? '';
      return STATUS_TESTS.has(callee) || isStatusMacro(callee);
    }
    return false;
  }
  return false;
}

/** The variable or field a call's result is stored in (`x = call`, `T x = call`). */
function heldIn(n: Node): string | null {
  const p = n.parent;
  if (!p) return null;
  if (p.type === 'assignment_expression' && p.childForFieldName('right')?.id === n.id && p.childForFieldName('operator')?.text === '=') {
    return p.childForFieldName('left')?.text.replace(/\s+/g, '') ?? null;
  }
  if (p.type === 'init_declarator' && p.childForFieldName('value')?.id === n.id) {
    const d = p.childForFieldName('declarator');
    return d && d.type === 'identifier' ? d.text : null;
  }
  return null;
}

function enclosingBody(n: Node): Node | null {
  let top: Node = n;
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return p.childForFieldName('body');
    top = p;
  }
  return top; // a macro expansion parsed on its own: its whole tree
}

/** The first mention of `name` after `from` in the body, in text order. */
function nextUse(body: Node, name: string, from: number): Node | null {
  const simple = /^[A-Za-z_]\w*$/.test(name);
  const cursor = body.walk();
  try {
    for (;;) {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      if (end > from) {
        const type = cursor.nodeType;
        const hit = start >= from && (simple ? type === 'identifier' : type === 'field_expression') && cursor.currentNode.text.replace(/\s+/g, '') === name;
        if (hit) return cursor.currentNode;
        if (cursor.gotoFirstChild()) continue;
      }
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return null;
    }
  } finally {
    cursor.delete();
  }
}
