/**
 * Loops a path can never get past, read from the syntax alone: no condition (`for (;;)`) or a
 * constant true one (`while (TRUE)`, `do ... while (1)`), and nothing in the body that leaves
 * the loop: a `break` of its own (not one of a loop or `switch` inside it), a `return`, a
 * `goto`, a `__leave` or a C++ `throw`.
 */
import { isSehLeave, type Node } from '../parsing/parser';
import type { FileModel } from './fileModel';
import { constantValue, type NameScope } from './constants';

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);
const EXITS = new Set(['return_statement', 'goto_statement', 'seh_leave_statement', 'throw_statement']);

export function neverEnds(model: FileModel, loop: Node, scope?: NameScope): boolean {
  const condition = loop.childForFieldName('condition');
  if (condition) {
    const value = constantValue(model, unwrapParens(condition), scope);
    if (value === undefined || value === 0) return false;
  } else if (loop.type !== 'for_statement') {
    return false;
  }
  const body = loop.childForFieldName('body');
  return body !== null && !leaves(body);
}

/** Whether something under `body` leaves the loop whose body it is (iterative: deep nesting must not overflow). */
function leaves(body: Node): boolean {
  const todo: [Node, boolean][] = [[body, true]];
  while (todo.length > 0) {
    const [node, ownBreaks] = todo.pop()!;
    if (EXITS.has(node.type) || isSehLeave(node)) return true;
    if (node.type === 'break_statement' && ownBreaks) return true;
    // A break inside an inner loop or switch leaves that one.
    const inner = ownBreaks && !LOOPS.has(node.type) && node.type !== 'switch_statement';
    for (const child of node.namedChildren) if (child) todo.push([child, inner]);
  }
  return false;
}

export function unwrapParens(node: Node): Node {
  let n = node;
  while ((n.type === 'parenthesized_expression' || n.type === 'condition_clause') && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}
