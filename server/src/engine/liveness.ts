/**
 * Which local names a path may still read from where it stands, so that paths that differ only in
 * values nobody reads again count as one state at a join. Deliberately coarse and safe: a name is
 * live when it appears anywhere in what is left of a block on the path's stack (the statement
 * being run included), in a loop the path is inside (it runs again), or in the body of any macro
 * of the file (an expansion can name it). Where a path can go back to earlier code in ways the
 * stack does not show — a `goto` to a label above it, a pending exit through `__finally` — every
 * name is live.
 */
import type { Node } from '../parsing/parser';
import type { FileModel } from './fileModel';
import type { Frame } from './state';

export type IsLive = (name: string) => boolean;

const ALL_LIVE: IsLive = () => true;

export class LiveNames {
  /** Per block (by its first statement's id): each name → the last statement index naming it. */
  private readonly lastUse = new Map<number, Map<string, number>>();
  /** Per loop node id: every name in it. */
  private readonly inNode = new Map<number, Set<string>>();
  private macroNames: Set<string> | undefined;
  private backward: Map<string, boolean> | undefined;

  constructor(private readonly model: FileModel, private readonly mainFunction: string, private readonly mainBody: Node) {}

  /** The names the path standing on `stack` may still read. */
  forStack(stack: Frame[]): IsLive {
    if (this.jumpsBack(this.mainFunction, this.mainBody)) return ALL_LIVE;
    const blocks: { uses: Map<string, number>; from: number }[] = [];
    const loops: Set<string>[] = [];
    for (const f of stack) {
      if (f.kind === 'block') {
        if (f.stmts.length > 0) blocks.push({ uses: this.usesOf(f.stmts), from: Math.max(0, f.i - 1) });
      } else if (f.kind === 'loop') loops.push(this.namesIn(f.node));
      else if (f.kind === 'resume' || f.kind === 'finally') return ALL_LIVE;
      else if (f.kind === 'call') {
        const callee = this.model.functions.get(f.fn);
        if (!callee || this.jumpsBack(f.fn, callee.body)) return ALL_LIVE;
      }
    }
    const macros = this.macroIdentifiers();
    return (name) => {
      const root = rootName(name);
      if (macros.has(root)) return true;
      for (const b of blocks) if ((b.uses.get(root) ?? -1) >= b.from) return true;
      for (const l of loops) if (l.has(root)) return true;
      return false;
    };
  }

  private usesOf(stmts: Node[]): Map<string, number> {
    const key = stmts[0].id;
    let uses = this.lastUse.get(key);
    if (!uses) {
      uses = new Map();
      stmts.forEach((s, i) => {
        for (const name of identifiersOf(s)) uses!.set(name, i);
      });
      this.lastUse.set(key, uses);
    }
    return uses;
  }

  private namesIn(node: Node): Set<string> {
    let names = this.inNode.get(node.id);
    if (!names) {
      names = identifiersOf(node);
      this.inNode.set(node.id, names);
    }
    return names;
  }

  private macroIdentifiers(): Set<string> {
    if (!this.macroNames) {
      this.macroNames = new Set();
      const bodies = [...[...this.model.macros.values()].map((m) => m.body), ...this.model.defines.values()];
      for (const body of bodies) for (const id of body.match(/[A-Za-z_]\w*/g) ?? []) this.macroNames.add(id);
    }
    return this.macroNames;
  }

  private jumpsBack(name: string, body: Node): boolean {
    this.backward ??= new Map();
    let back = this.backward.get(name);
    if (back === undefined) {
      back = hasBackwardGoto(body.text);
      this.backward.set(name, back);
    }
    return back;
  }
}

/** `@Req->Status` (a followed field) is read through `Req`. */
function rootName(name: string): string {
  const m = /^@?([A-Za-z_]\w*)/.exec(name);
  return m ? m[1] : name;
}

function identifiersOf(node: Node): Set<string> {
  const names = new Set<string>();
  const cursor = node.walk();
  try {
    let more = true;
    while (more) {
      const type = cursor.nodeType;
      if (type === 'identifier') names.add(cursor.nodeText);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentNode.id === node.id) {
          more = false;
          break;
        }
      }
    }
  } finally {
    cursor.delete();
  }
  return names;
}

/** A `goto` to a label that stands above it (a retry loop written with labels). */
export function hasBackwardGoto(text: string): boolean {
  if (!/\bgoto\b/.test(text)) return false;
  const labels = new Map<string, number>();
  for (const m of text.matchAll(/(?:^|[;{}])\s*([A-Za-z_]\w*)\s*:(?!:)/gm)) {
    if (m[1] !== 'default' && m[1] !== 'public' && m[1] !== 'private' && m[1] !== 'protected' && !labels.has(m[1])) labels.set(m[1], m.index!);
  }
  for (const m of text.matchAll(/\bgoto\s+([A-Za-z_]\w*)/g)) {
    const at = labels.get(m[1]);
    if (at === undefined || at < m.index!) return true;
  }
  return false;
}
