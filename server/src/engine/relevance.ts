/**
 * Which statements can matter for ECP state. A branch or loop with nothing relevant inside is not
 * explored path by path, which keeps unrelated `if`s from multiplying paths.
 */
import type { Node } from '../parsing/parser';
import type { FileModel } from './fileModel';
import { routineInfo } from './catalogAccess';
import { isSpecialCallee } from './specialCalls';

const CONTROL = new Set(['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'seh_leave_statement', 'labeled_statement']);

export interface Relevance {
  relevant(node: Node): boolean;
  tracked: Set<string>;
}

export function computeRelevance(body: Node, model: FileModel): Relevance {
  const nodes: Node[] = [];
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    nodes.push(n);
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
  const tracked = new Set<string>();
  for (const n of nodes) {
    if (n.type === 'call_expression' && isInteresting(calleeName(n), model)) {
      const args = n.childForFieldName('arguments');
      if (args) collectIdentifiers(args, tracked);
    }
    if (n.type === 'field_expression' && n.childForFieldName('field')?.text === 'ExtraCreateParameter') {
      const parent = n.parent;
      if (parent?.type === 'assignment_expression') collectIdentifiers(parent, tracked);
    }
  }
  // Aliases: x = y where either side is tracked makes both tracked (two rounds suffice in practice).
  for (let round = 0; round < 2; round++) {
    for (const n of nodes) {
      if (n.type !== 'assignment_expression' && n.type !== 'init_declarator') continue;
      const names = new Set<string>();
      collectIdentifiers(n, names);
      if ([...names].some((x) => tracked.has(x))) for (const x of names) tracked.add(x);
    }
  }
  const marked = new Set<number>();
  for (const n of nodes) {
    if (isRelevantLeaf(n, model, tracked)) {
      for (let p: Node | null = n; p && !marked.has(p.id); p = p.parent) {
        marked.add(p.id);
        if (p.id === body.id) break;
      }
    }
  }
  return { relevant: (node) => marked.has(node.id), tracked };
}

function isRelevantLeaf(n: Node, model: FileModel, tracked: Set<string>): boolean {
  if (CONTROL.has(n.type)) return true;
  if (n.type === 'call_expression') {
    if (isInteresting(calleeName(n), model)) return true;
    const args = n.childForFieldName('arguments');
    return args ? mentions(args, tracked) : false;
  }
  if (n.type === 'assignment_expression' || n.type === 'init_declarator' || n.type === 'update_expression') {
    return mentions(n, tracked);
  }
  if (n.type === 'field_expression' && n.text.includes('->')) return mentions(n, tracked);
  return false;
}

export function calleeName(call: Node): string {
  const fn = call.childForFieldName('function');
  return fn && fn.type === 'identifier' ? fn.text : '';
}

export function isInteresting(name: string, model: FileModel): boolean {
  if (!name) return false;
  return Boolean(routineInfo(name)) || model.functions.has(name) || model.macros.has(name) || isSpecialCallee(name);
}

function collectIdentifiers(node: Node, into: Set<string>): void {
  const stack: Node[] = [node];
  let budget = 5000;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') into.add(n.text);
    for (let i = 0; i < n.namedChildCount; i++) {
      const c = n.namedChild(i);
      if (c) stack.push(c);
    }
  }
}

function mentions(node: Node, names: Set<string>): boolean {
  if (names.size === 0) return false;
  const found = new Set<string>();
  collectIdentifiers(node, found);
  for (const x of found) if (names.has(x)) return true;
  return false;
}
