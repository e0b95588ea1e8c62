/**
 * Which local names a path may still read from where it stands, so that paths that differ only in
 * values nobody reads again count as one state at a join. Deliberately coarse and safe: a name is
 * live when it appears anywhere in what is left of a block on the path's stack (the statement
 * being run included), in a loop the path is inside (it runs again), or in the body of a macro
 * that what is left names (an expansion can name it, directly or through the macros it uses).
 * Comments are not read. Where a path can go back to earlier code in ways the
 * stack does not show — a `goto` to a label above it, a pending exit through `__finally` — every
 * name is live.
 */
import type { Node } from '../parsing/parser';
import type { FileModel } from './fileModel';
import type { Frame } from './state';
import { NAME_WORDS, nameWords, withoutComments } from '../util/codeText';

export type IsLive = (name: string) => boolean;

const ALL_LIVE: IsLive = () => true;

export class LiveNames {
  private backward: Map<string, boolean> | undefined;

  constructor(private readonly model: FileModel, private readonly mainFunction: string, private readonly mainBody: Node) {}

  /** The names the path standing on `stack` may still read. */
  forStack(stack: Frame[]): IsLive {
    if (this.jumpsBack(this.mainFunction, this.mainBody)) return ALL_LIVE;
    // Each frame contributes a stretch of its tree's text the path may still run.
    const spans: { names: Map<string, number[]>; from: number; to: number }[] = [];
    // The function whose text the frames below stand in (the analysed one, then each callee).
    let scope = this.mainBody;
    for (const f of stack) {
      if (f.kind === 'block') {
        if (f.stmts.length === 0) continue;
        const first = f.stmts[Math.max(0, f.i - 1)];
        spans.push({ names: this.occurrences(first, scope), from: first.startIndex, to: f.stmts[f.stmts.length - 1].endIndex });
      } else if (f.kind === 'loop') spans.push({ names: this.occurrences(f.node, scope), from: f.node.startIndex, to: f.node.endIndex });
      else if (f.kind === 'resume' || f.kind === 'finally') return ALL_LIVE;
      else if (f.kind === 'call') {
        const callee = this.model.functions.get(f.fn);
        if (!callee || this.jumpsBack(f.fn, callee.body)) return ALL_LIVE;
        scope = callee.body;
      }
    }
    const within = (word: string): boolean => spans.some((s) => occursWithin(s.names.get(word), s.from, s.to));
    return (name) => {
      const root = rootName(name);
      if (within(root)) return true;
      for (const macro of this.macrosNaming(root)) if (within(macro)) return true;
      return false;
    };
  }

  /** Words of each function body (or macro expansion) by node id: read once per run. */
  private readonly byScope = new Map<number, Map<string, number[]>>();

  /**
   * Every identifier-like word of `scope` (the function body the frame runs in) by offset in its
   * tree; a frame outside it (a macro expansion's own small tree) reads its tree's root instead.
   * Strings count too: that only keeps more names live.
   */
  private occurrences(node: Node, scope: Node): Map<string, number[]> {
    const inside = node.tree === scope.tree && node.startIndex >= scope.startIndex && node.endIndex <= scope.endIndex;
    const source = inside ? scope : node.tree.rootNode;
    let names = this.byScope.get(source.id);
    if (!names) {
      names = new Map();
      const base = source.startIndex;
      for (const m of withoutComments(source.text).matchAll(NAME_WORDS)) {
        const list = names.get(m[0]);
        if (list) list.push(base + m.index!);
        else names.set(m[0], [base + m.index!]);
      }
      this.byScope.set(source.id, names);
    }
    return names;
  }

  /** Macro words by the macros whose bodies name them: built once per run. */
  private namedBy: Map<string, string[]> | undefined;
  private readonly naming = new Map<string, string[]>();

  /**
   * The macros whose expansion can name `word`: those whose body names it, and those whose body
   * uses one of those macros, transitively.
   */
  private macrosNaming(word: string): string[] {
    const known = this.naming.get(word);
    if (known) return known;
    if (!this.namedBy) {
      this.namedBy = new Map();
      const bodies: [string, string][] = [...[...this.model.macros].map(([n, m]) => [n, m.body] as [string, string]), ...this.model.defines];
      for (const [key, body] of bodies) {
        // A macro of another program file is held as `NAME (wrap.c)`; its uses are written `NAME`.
        const macro = writtenName(key);
        for (const id of new Set(nameWords(withoutComments(body)))) {
          const list = this.namedBy.get(id);
          if (list) list.push(macro);
          else this.namedBy.set(id, [macro]);
        }
      }
    }
    const found = new Set<string>();
    const todo = [word];
    while (todo.length > 0) {
      for (const macro of this.namedBy.get(todo.pop()!) ?? []) {
        if (found.has(macro)) continue;
        found.add(macro);
        todo.push(macro);
      }
    }
    const result = [...found];
    this.naming.set(word, result);
    return result;
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

/** The name a model key is written as in code: `NAME (wrap.c)` (another file's macro) is `NAME`. */
function writtenName(key: string): string {
  const space = key.indexOf(' (');
  return space < 0 ? key : key.slice(0, space);
}

/** Whether a sorted list of offsets holds one in [from, to). */
function occursWithin(offsets: number[] | undefined, from: number, to: number): boolean {
  if (!offsets) return false;
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo] < to;
}

const ROOT_NAME = new RegExp(`^@?(${NAME_WORDS.source})`);

/** `@Req->Status` (a followed field) is read through `Req`. */
function rootName(name: string): string {
  const m = ROOT_NAME.exec(name);
  return m ? m[1] : name;
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
