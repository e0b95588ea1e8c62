/**
 * Lists the engine cannot see into, by name. A list the analysed function receives as a parameter
 * may hold anything, but what this path inserted into it is known: a second ECP of the same type
 * is a certain duplicate. The list is known by the parameter's name as long as the name cannot
 * stand for another list: a parameter the function never assigns or takes the address of. A
 * followed call's parameter is known by the name of the caller's argument (`@unseen:NAME`, set
 * where the call is entered), so a wrapper called twice with the caller's list is followed too.
 */
import type { Node } from '../parsing/parser';
import type { Ctx } from './context';
import type { FunctionDef } from './fileModel';
import { type PathState, type Scope, varType } from './state';
import { stripParens } from './expr';

const rebound = new WeakMap<Node, Map<string, boolean>>();

/** The function's body never assigns `name`, increments it or takes its address. */
function neverRebound(body: Node, name: string): boolean {
  let byName = rebound.get(body);
  if (!byName) rebound.set(body, (byName = new Map()));
  let known = byName.get(name);
  if (known === undefined) {
    known = !body.descendantsOfType(['assignment_expression', 'pointer_expression', 'update_expression']).some((n) => {
      if (!n) return false;
      const target = n.childForFieldName(n.type === 'assignment_expression' ? 'left' : 'argument');
      if (!target || stripParens(target).text !== name) return false;
      return n.type !== 'pointer_expression' || n.childForFieldName('operator')?.text === '&';
    });
    byName.set(name, known);
  }
  return known;
}

/** The name the list written as `node` is known by on this path, or '' when none. */
export function unseenListName(ctx: Ctx, st: PathState, node: Node | undefined): string {
  if (!node) return '';
  const n = stripParens(node);
  if (n.type !== 'identifier') return '';
  if (st.callDepth > 0) return varType(st, `@unseen:${n.text}`) ?? '';
  return ctx.fn.params.some((p) => p.name === n.text) && neverRebound(ctx.fn.body, n.text) ? `param:${n.text}` : '';
}

/** Entering a followed call: each parameter it never rebinds is known by its argument's name. */
export function bindUnseenLists(scope: Scope, fn: FunctionDef, names: string[]): void {
  fn.params.forEach((p, i) => {
    if (names[i] && neverRebound(fn.body, p.name)) scope.types.set(`@unseen:${p.name}`, names[i]);
  });
}
