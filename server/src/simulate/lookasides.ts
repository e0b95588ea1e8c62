/**
 * Lookaside lists initialised in other functions of the file (typically DriverEntry) are set up in
 * the simulated kernel before the run, so allocations from them show the real entry size, tag and
 * pool type instead of an unknown lookaside.
 */
import type { Node, Tree } from '../parsing/parser';
import type { Kernel } from '../kernel/types';
import type { FileModel, FunctionDef } from '../engine/fileModel';
import type { LookasideUse } from '../rules/syntactic';
import { routineInfo, paramIndex } from '../engine/catalogAccess';
import { constantValue, tagText } from '../engine/constants';

export interface PreparedLookaside {
  use: LookasideUse;
  call: Node;
}

/** The call expression a lookaside init was recorded at. */
function callAt(tree: Tree, use: LookasideUse): Node | undefined {
  const { site } = use;
  let node: Node | null = tree.rootNode.descendantForPosition(
    { row: site.line, column: site.character },
    { row: site.endLine, column: site.endCharacter },
  );
  for (let guard = 0; node && guard < 8; guard++, node = node.parent) {
    if (node.type === 'call_expression') return node;
  }
  return undefined;
}

function inside(fn: FunctionDef, line: number): boolean {
  return fn.node.startPosition.row <= line && line <= fn.node.endPosition.row;
}

/** Inits outside `fn` (the run performs its own), with the call that made each. */
export function lookasidesFromElsewhere(tree: Tree, fn: FunctionDef, inits: LookasideUse[]): PreparedLookaside[] {
  const out: PreparedLookaside[] = [];
  const seen = new Set<string>();
  for (const use of inits) {
    if (inside(fn, use.site.line) || seen.has(use.name)) continue;
    const call = callAt(tree, use);
    if (!call) continue;
    seen.add(use.name);
    out.push({ use, call });
  }
  return out;
}

function args(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
}

/** Initialise each lookaside in `kernel` the way its init call would. */
export function prepareLookasides(kernel: Kernel, model: FileModel, prepared: PreparedLookaside[]): void {
  for (const { use, call } of prepared) {
    const routine = routineInfo(call.childForFieldName('function')?.text ?? '');
    if (!routine || routine.op !== 'initLookaside') continue;
    const a = args(call);
    const sizeNode = a[paramIndex(routine, 'lookaside-size')];
    const tagNode = a[paramIndex(routine, 'pool-tag')];
    const size = sizeNode ? constantValue(model, sizeNode) : undefined;
    const tagValue = tagNode ? constantValue(model, tagNode) : undefined;
    // A C literal 'xpcE' is stored little-endian: PoolMon reads it as "Ecpx" (as the engine does).
    const tag = tagValue === undefined ? undefined : [...tagText(tagValue)].reverse().join('');
    kernel.initLookaside(routine.family, use.name, use.flags, size, tag, use.site);
  }
}
