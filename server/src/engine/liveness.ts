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
import { type FunctionDef, functionNamed } from './fileModel';
import { isEcpOperationWord } from './helperEffects';
import { isCTree } from '../parsing/parser';
import { NAME_WORDS, nameWords, withoutComments } from '../util/codeText';

export type IsLive = (name: string) => boolean;

const ALL_LIVE: IsLive = () => true;

/** What a path standing on a stack may still do: the names it may read, whether an ECP operation lies ahead. */
export interface StackView {
  isLive: IsLive;
  /**
   * Some code the path may still run names an ECP operation (settling.ts): an ECP routine, a
   * program function or macro that may touch ECP state, a routine pointer, a lambda.
   */
  ecpAhead: boolean;
}

const UNKNOWN_AHEAD: StackView = { isLive: ALL_LIVE, ecpAhead: true };

/** Views kept per run (places a path stood at); past this they are dropped and computed again. */
const MAX_VIEWS = 20_000;

/** A stretch of a tree's text the path may still run, with the words of the tree it lies in. */
interface Span {
  names: Map<string, number[]>;
  ecp: number[];
  from: number;
  to: number;
  /** The called function running now: its one mention in this (in-progress) statement is behind the path. */
  running?: string;
}

export class LiveNames {
  private backward: Map<string, boolean> | undefined;
  /** Merges at joins (and alternatives dropped at forks) of paths whose signature was settled. */
  settledMerges = 0;

  /** `settles`: false keeps every path that differs in a live value apart (`StackView.ecpAhead` always true). */
  constructor(private readonly model: FileModel, private readonly mainFunction: string, private readonly mainBody: Node, private readonly settles = true) {}

  /** The names the path standing on `stack` may still read. */
  forStack(stack: Frame[]): IsLive {
    return this.view(stack).isLive;
  }

  /**
   * The names the path may still read and whether an ECP operation lies ahead of it. `leaving`:
   * the path has just returned from a call of that function ('' when unnamed), so the statement
   * of the caller that made it (the top frame's last one begun) is still being run: what it does
   * with the result is ahead, the call itself behind.
   */
  view(stack: Frame[], leaving?: string, place?: string): StackView {
    // What lies ahead depends only on where the path stands (`place`, state.ts `stackKey`): paths
    // at the same place share one view, and the names it was asked about.
    const key = place === undefined ? undefined : leaving === undefined ? place : `${place}<${leaving}`;
    const known = key === undefined ? undefined : this.views.get(key);
    if (known) return known;
    const spans = this.spansOf(stack, leaving);
    let view = UNKNOWN_AHEAD;
    if (spans) {
      const within = (word: string): boolean => spans.some((s) => occursWithin(s.names.get(word), s.from, s.to));
      const asked = new Map<string, boolean>();
      const isLive: IsLive = (name) => {
        let live = asked.get(name);
        if (live === undefined) {
          const root = rootName(name);
          live = within(root) || this.macrosNaming(root).some(within);
          asked.set(name, live);
        }
        return live;
      };
      view = { isLive, ecpAhead: !this.settles || spans.some((s) => ecpWithin(s)) };
    }
    if (key !== undefined) {
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      this.views.set(key, view);
    }
    return view;
  }

  private readonly views = new Map<string, StackView>();

  /**
   * Each frame contributes the stretch of its tree's text the path may still run; null when the
   * path can go back to earlier code in ways the stack does not show (a `goto` to a label above it).
   */
  private spansOf(stack: Frame[], leaving: string | undefined): Span[] | null {
    if (this.jumpsBack(this.mainFunction, this.mainBody)) return null;
    const spans: Span[] = [];
    // The function whose text the frames below stand in (the analysed one, then each callee).
    let scope = this.mainBody;
    let scopeFn: FunctionDef | undefined = this.model.functions.get(this.mainFunction);
    for (let k = 0; k < stack.length; k++) {
      const f = stack[k];
      if (f.kind === 'block') {
        const next = stack[k + 1];
        // A block's statement i-1 is done, but for one that called the function now running:
        // the rest of that statement (what it does with the result) runs when the call returns.
        const calling = next?.kind === 'call' || (leaving !== undefined && next === undefined);
        const from = calling ? f.i - 1 : f.i;
        if (from < 0 || from >= f.stmts.length) continue;
        const first = f.stmts[from];
        const last = f.stmts[fallsThroughTo(f.stmts, from)];
        spans.push({ ...this.wordsOf(first, scope, scopeFn), from: first.startIndex, to: last.endIndex, running: next?.kind === 'call' ? lastName(next.fn) : leaving ? lastName(leaving) : undefined });
      } else if (f.kind === 'loop') spans.push({ ...this.wordsOf(f.node, scope, scopeFn), from: f.node.startIndex, to: f.node.endIndex });
      // A pending `__finally` runs its body when the guarded block is left.
      else if (f.kind === 'finally') spans.push({ ...this.wordsOf(f.body, scope, scopeFn), from: f.body.startIndex, to: f.body.endIndex });
      // 'resume' continues an exit (return, break, continue, __leave, goto) after a `__finally`:
      // where it goes is in the spans of the frames below, or above the path (a backward goto).
      else if (f.kind === 'call') {
        const callee = functionNamed(this.model, f.fn);
        if (!callee || this.jumpsBack(f.fn, callee.body)) return null;
        scope = callee.body;
        scopeFn = callee;
      }
    }
    return spans;
  }

  /** Words of each function body (or macro expansion) by node id: read once per run. */
  private readonly byScope = new Map<number, Map<string, number[]>>();

  /**
   * Every identifier-like word of `scope` (the function body the frame runs in) by offset in its
   * tree; a frame outside it (a macro expansion's own small tree) reads its tree's root instead.
   * Strings count too: that only keeps more names live.
   */
  private wordsOf(node: Node, scope: Node, scopeFn: FunctionDef | undefined): { names: Map<string, number[]>; ecp: number[] } {
    const inside = node.tree === scope.tree && node.startIndex >= scope.startIndex && node.endIndex <= scope.endIndex;
    const source = inside ? scope : node.tree.rootNode;
    const names = this.occurrences(source);
    let ecp = this.ecpByScope.get(source.id);
    if (!ecp) {
      // Offsets of the words that name an ECP operation, in order; a lambda counts as one (its
      // body runs where it is called, and it may use the ECP objects it captured).
      const offsets: number[] = [];
      const fnScope = inside ? scopeFn?.scope : undefined;
      for (const [word, at] of names) if (isEcpOperationWord(this.model, word, fnScope)) offsets.push(...at);
      if (!isCTree(source.tree)) for (const lambda of source.descendantsOfType('lambda_expression')) if (lambda) offsets.push(lambda.startIndex);
      ecp = offsets.sort((a, b) => a - b);
      this.ecpByScope.set(source.id, ecp);
    }
    return { names, ecp };
  }

  private readonly ecpByScope = new Map<number, number[]>();

  private occurrences(source: Node): Map<string, number[]> {
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
  return offsets !== undefined && countWithin(offsets, from, to) > 0;
}

/** How many of a sorted list of offsets lie in [from, to). */
function countWithin(offsets: number[], from: number, to: number): number {
  return firstAtOrAfter(offsets, to) - firstAtOrAfter(offsets, from);
}

function firstAtOrAfter(offsets: number[], at: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An ECP operation in the span, less the one mention of the function running now (its call is behind). */
function ecpWithin(s: Span): boolean {
  const ahead = countWithin(s.ecp, s.from, s.to);
  if (ahead === 0 || !s.running) return ahead > 0;
  // The running function's first mention in the span, when that word is an ECP operation.
  const mentions = s.names.get(s.running);
  const at = mentions?.[firstAtOrAfter(mentions, s.from)];
  const runningIsOp = at !== undefined && at < s.to && s.ecp[firstAtOrAfter(s.ecp, at)] === at;
  return ahead - (runningIsOp ? 1 : 0) > 0;
}

/** `Ns::Helper` is written `Helper` (or qualified) at its call; the last name is a word there. */
function lastName(fn: string): string {
  return fn.slice(fn.lastIndexOf(':') + 1);
}

/**
 * The last statement a path at `stmts[from]` can reach in this block by falling through: the
 * first return, break, continue, goto or `__leave` of the block itself ends it, unless a label
 * follows (a `goto` may enter there). A switch's cases are one block: a `break` ends its case.
 */
const fallsThrough = new WeakMap<Node[], Int32Array>();

function fallsThroughTo(stmts: Node[], from: number): number {
  let ends = fallsThrough.get(stmts);
  if (!ends) {
    ends = new Int32Array(stmts.length);
    let end = stmts.length - 1;
    let labelAfter = false;
    for (let i = stmts.length - 1; i >= 0; i--) {
      const type = stmts[i].type;
      if (!labelAfter && JUMPS.has(type)) end = i;
      if (type === 'labeled_statement') labelAfter = true;
      ends[i] = end;
    }
    fallsThrough.set(stmts, ends);
  }
  return ends[from];
}

const JUMPS = new Set(['return_statement', 'break_statement', 'continue_statement', 'goto_statement', 'seh_leave_statement']);

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
