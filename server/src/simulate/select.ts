/**
 * Which function the simulator runs: by name, or the one containing a position; and the list of
 * functions in a file that call ECP routines (directly or through a helper defined in the file).
 */
import type { Node } from '../parsing/parser';
import type { FileModel, FunctionDef } from '../engine/fileModel';
import { routineInfo } from '../engine/catalogAccess';

/** A request the simulator cannot serve, with a message meant for the user. */
export class SimulateError extends Error {
  override readonly name = 'SimulateError';
}

export interface FunctionEntry {
  name: string;
  /** 1-based line of the function's name. */
  line: number;
}

/** Names of the functions each function calls (identifiers in call position). */
function calleesOf(fn: FunctionDef): Set<string> {
  const names = new Set<string>();
  for (const call of fn.body.descendantsOfType('call_expression')) {
    const callee = call?.childForFieldName('function');
    if (callee?.type === 'identifier') names.add(callee.text);
  }
  return names;
}

/**
 * Functions that call an ECP routine, or a function of the file that does (to a fixed point, so
 * helpers of helpers count), in source order.
 */
export function ecpFunctions(model: FileModel): FunctionDef[] {
  const callees = new Map<string, Set<string>>();
  for (const fn of model.functions.values()) callees.set(fn.name, calleesOf(fn));
  const calling = new Set<string>();
  for (const [name, names] of callees) if ([...names].some((n) => routineInfo(n) !== undefined)) calling.add(name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, names] of callees) {
      if (calling.has(name)) continue;
      if ([...names].some((n) => calling.has(n))) {
        calling.add(name);
        changed = true;
      }
    }
  }
  return bySource([...model.functions.values()].filter((fn) => !fn.fromHeader && calling.has(fn.name)));
}

function bySource(fns: FunctionDef[]): FunctionDef[] {
  return fns.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

/** The node naming the function (for its line), falling back to the definition. */
export function nameNode(fn: FunctionDef): Node {
  let d = fn.node.childForFieldName('declarator');
  for (let guard = 0; d && guard < 50; guard++) {
    if (d.type === 'function_declarator') return d.childForFieldName('declarator') ?? fn.node;
    d = d.childForFieldName('declarator');
  }
  return fn.node;
}

export function functionEntries(model: FileModel): FunctionEntry[] {
  return ecpFunctions(model).map((fn) => ({ name: fn.name, line: nameNode(fn).startPosition.row + 1 }));
}

function available(model: FileModel): string {
  const names = functionEntries(model).map((f) => `${f.name} (line ${f.line})`);
  if (names.length > 0) return `functions that call ECP routines: ${names.join(', ')}`;
  const all = bySource([...model.functions.values()]).map((f) => f.name);
  return all.length > 0 ? `no function calls an ECP routine; functions in the file: ${all.join(', ')}` : 'the file defines no function';
}

/** The function to simulate; throws SimulateError naming the choices when there is none. */
export function pickFunction(
  model: FileModel,
  choice: { function?: string; position?: { line: number; character: number } },
): FunctionDef {
  if (choice.function !== undefined) {
    const fn = model.functions.get(choice.function);
    if (fn && !fn.fromHeader) return fn;
    throw new SimulateError(`no function named '${choice.function}' in this file; ${available(model)}.`);
  }
  if (choice.position) {
    const { line, character } = choice.position;
    const inside = [...model.functions.values()].filter((fn) => !fn.fromHeader && contains(fn.node, line, character));
    if (inside.length > 0) return inside.sort((a, b) => b.node.startIndex - a.node.startIndex)[0];
    throw new SimulateError(`no function contains line ${line + 1}; put the cursor inside a function, or pick one: ${available(model)}.`);
  }
  const first = ecpFunctions(model)[0];
  if (first) return first;
  throw new SimulateError(`nothing to simulate: ${available(model)}.`);
}

function contains(node: Node, line: number, character: number): boolean {
  const s = node.startPosition;
  const e = node.endPosition;
  if (line < s.row || line > e.row) return false;
  if (line === s.row && character < s.column) return false;
  if (line === e.row && character > e.column) return false;
  return true;
}
