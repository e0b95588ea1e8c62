/**
 * Functions of the same file are applied at their call sites by running their bodies on the
 * caller's path (bounded depth): the most precise summary there is. Function-like macros defined
 * in the file are expanded and run the same way, their steps reported at the macro's call site.
 */
import type { Node } from '../parsing/parser';
import { parseText } from '../parsing/parser';
import type { Site } from '../kernel/types';
import type { Ctx } from './context';
import { type FunctionDef, type FunctionMacro, declaredName, isReferenceParam } from './fileModel';
import { type PathState, type Scope, clonePath, isSettledSignature, repeatsAtJoin, stackKey, stateSignature, rememberForkSignature, takeForkSignature } from './state';
import { settledContext } from './settling';
import { applySummary, rememberSummary, summaryKey } from './callSummary';
import { type Val, UNKNOWN } from './values';
import type { ExprOutcome } from './expr';
import { evalExpr } from './expr';
import { step } from './exec';
import { bindUnseenLists } from './unseenLists';
import { statusClass } from './ntstatus';

/**
 * A C++ lambda called through the local it was stored in (`auto release = [&] { ... }; release();`)
 * runs its body on the caller's path. Its scope has no call boundary: captured locals are the
 * enclosing function's own variables (by reference; a copy holds the same objects).
 */
export function inlineLambda(ctx: Ctx, st: PathState, lambda: Node, vals: Val[], site: Site): ExprOutcome[] {
  const body = lambda.childForFieldName('body');
  if (!body) return [{ st, v: UNKNOWN }];
  const scope: Scope = { vars: new Map(), types: new Map() };
  const params = lambda.childForFieldName('declarator')?.childForFieldName('parameters')?.namedChildren ?? [];
  params.forEach((p, i) => {
    const name = p ? declaredName(p.childForFieldName('declarator')) : undefined;
    if (name) scope.vars.set(name, vals[i] ?? UNKNOWN);
  });
  const base = st.stack.length;
  st.stack.push({ kind: 'call', scopeDepth: st.scopes.length, resultVar: null, callerSite: site, fn: ctx.fn.name });
  st.scopes.push(scope);
  st.callDepth++;
  st.returnValue = UNKNOWN;
  const stmts = body.namedChildren.filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
  st.stack.push({ kind: 'block', stmts, i: 0 });
  return outcomesOf(runUntilReturn(ctx, st, base, ''));
}

/**
 * `guids[i]`: the GUID the caller's i-th argument names, '' when none (see `guidNameOf`); `lists[i]`:
 * the name of the unseen list it is (see `unseenLists.ts`), part of what the callee reads.
 */
export function inlineCall(ctx: Ctx, st: PathState, fn: FunctionDef, vals: Val[], site: Site, guids: string[] = [], lists: string[] = []): ExprOutcome[] {
  const key = ctx.summaries ? summaryKey(st, fn, vals, site, lists.some(Boolean) ? [...guids, ...lists.map((l) => `@unseen:${l}`)] : guids) : undefined;
  const known = key === undefined ? undefined : ctx.summaries!.get(key);
  const seqBefore = st.seq;
  const outermost = st.callDepth === 0;
  // A run that merged settled paths holds for callers whose code ahead is the same (settling.ts).
  if (known && (known.settledAt === undefined || known.settledAt === settledContext(st, stackKey(st)))) {
    ctx.calls.reused++;
    ctx.budget.statements += known.ends.length;
    const reused = applySummary(known, st);
    if (outermost) for (const p of reused) noteHelperFailure(p, site, seqBefore);
    return outcomesOf(reused);
  }
  const entry = key === undefined ? undefined : clonePath(st);
  const settledBefore = ctx.live?.settledMerges ?? 0;
  ctx.calls.ran++;
  const ends = runCall(ctx, st, fn, vals, site, guids, lists);
  // A run the bound cut short, or one that left its frame oddly, is not a summary.
  if (entry && !ctx.budget.exhausted && ends.every((p) => p.ended || p.stack.length === entry.stack.length)) {
    const settledAt = (ctx.live?.settledMerges ?? 0) > settledBefore ? settledContext(entry, stackKey(entry)) : undefined;
    rememberSummary(ctx.summaries!, key!, entry, ends, settledAt);
  }
  if (outermost) for (const p of ends) noteHelperFailure(p, site, seqBefore);
  return outcomesOf(ends);
}

/**
 * A helper of the analysed function that returns a failure status on this path: the objects it
 * made and handed back on it are marked, so a leak of one is the helper's to fix (it reported
 * failure with the object still in its out-parameter), not each caller's.
 */
function noteHelperFailure(p: PathState, call: Site, seqBefore: number): void {
  const v = p.returnValue;
  if (p.ended || v.k !== 'status' || v.name === 'STATUS_SUCCESS' || (!v.any && statusClass(v.name) !== 'error')) return;
  for (const [id, origin] of p.origins) {
    const here = origin.callSite && origin.callSite.line === call.line && origin.callSite.character === call.character;
    if (here && origin.seq >= seqBefore && !origin.helperFailed) p.origins.set(id, { ...origin, helperFailed: { status: v.name, routine: v.routine, site: v.site } });
  }
}

function outcomesOf(ends: PathState[]): ExprOutcome[] {
  return ends.map((p) => ({ st: p, v: p.ended ? UNKNOWN : p.returnValue }));
}

function runCall(ctx: Ctx, st: PathState, fn: FunctionDef, vals: Val[], site: Site, guids: string[], lists: string[]): PathState[] {
  const scope: Scope = { vars: new Map(), types: new Map([['@call-boundary', '']]) };
  fn.params.forEach((p, i) => {
    // A reference parameter is the caller's variable when the call names one (an address from
    // `bindReferences`); otherwise what the function stores in it is handed off, as before.
    if (!isReferenceParam(p)) scope.vars.set(p.name, vals[i] ?? UNKNOWN);
    else if (vals[i]?.k === 'addr') scope.vars.set(`@ref:${p.name}`, vals[i]);
    scope.types.set(p.name, p.type);
    if (guids[i]) scope.types.set(`@guid:${p.name}`, guids[i]);
  });
  bindUnseenLists(scope, fn, lists);
  const base = st.stack.length;
  const reportAt = reportSiteFor(fn, site);
  st.stack.push({ kind: 'call', scopeDepth: st.scopes.length, resultVar: null, callerSite: reportAt ?? site, fn: fn.name });
  st.scopes.push(scope);
  st.callDepth++;
  st.returnValue = UNKNOWN;
  const stmts = fn.body.namedChildren.filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
  // A helper from a header is reported at the call: its lines are in another file.
  st.stack.push({ kind: 'block', stmts, i: 0, site: reportAt });
  return runUntilReturn(ctx, st, base, fn.name);
}

/**
 * Where the steps of a called function are reported: a same-file helper's at its own lines; a
 * header's at the call; another program file's at the outermost call, each step remembering its
 * place in that file.
 */
function reportSiteFor(fn: FunctionDef, site: Site): Site | undefined {
  if (!fn.fromHeader) return undefined;
  if (!fn.file) return site;
  const { inner: _inner, ...call } = site;
  void _inner;
  return { ...call, innerFile: fn.file };
}

/**
 * Steps the paths until each has left the frame at depth `base` (or ended). Paths that meet in the
 * same state inside the called function, or leave it in the same state with the same return
 * value, go on as one: a helper's independent branches do not multiply its caller's paths.
 */
/** `callee`: the function being run, as its caller's statement names it ('' for a lambda: named by the local holding it). */
function runUntilReturn(ctx: Ctx, st: PathState, base: number, callee: string): PathState[] {
  const done: PathState[] = [];
  const work: PathState[] = [st];
  const seen = new Set<string>();
  const forked = new Set<string>();
  const returned = new Set<string>();
  while (work.length > 0) {
    const p = work.pop()!;
    const known = takeForkSignature(p, ctx.live);
    if (p.ended || p.stack.length <= base) {
      if (!p.ended) {
        const key = stateSignature(p, ctx.live, true, callee);
        if (returned.has(key)) {
          if (ctx.live && isSettledSignature(key)) ctx.live.settledMerges++;
          mergedAway(ctx);
          continue;
        }
        returned.add(key);
      }
      done.push(p);
      continue;
    }
    if (exhausted(ctx)) continue;
    ctx.budget.statements++;
    if (work.length > 0 && repeatsAtJoin(p, seen, ctx.live, known)) {
      mergedAway(ctx);
      continue;
    }
    pushAlternatives(ctx, work, step(ctx, p), forked, { base, callee });
  }
  // The paths that left the call were counted when they forked inside it; the caller's step
  // counts them again as its own alternatives, so they are given back here.
  if (done.length > 1) ctx.budget.paths -= done.length - 1;
  return done;
}

/**
 * Pushes what one step produced, later alternatives first (so paths run in source order). An
 * alternative in a state an earlier fork already produced would only repeat that path and is
 * dropped; only the alternatives kept count towards the path bound.
 */
export function pushAlternatives(ctx: Ctx, work: PathState[], next: PathState[], forked: Set<string>, call?: { base: number; callee: string }): void {
  if (next.length === 1) {
    work.push(next[0]);
    return;
  }
  let kept = 0;
  for (let i = next.length - 1; i >= 0; i--) {
    const child = next[i];
    if (!child.ended) {
      // An alternative that has already left the call (`return Inner();` forked by Inner's ends)
      // differs from its siblings by the value it returns, which the caller is about to read.
      const leaving = call !== undefined && child.stack.length <= call.base;
      const sig = stateSignature(child, ctx.live, leaving, call?.callee);
      if (forked.has(sig)) {
        if (ctx.live && isSettledSignature(sig)) ctx.live.settledMerges++;
        continue;
      }
      forked.add(sig);
      if (!leaving) rememberForkSignature(child, ctx.live, sig);
    }
    work.push(child);
    kept++;
  }
  if (kept > 1) ctx.budget.paths += kept - 1;
}

/**
 * A path that met another in the same state went on as that one: it is no longer a path of its
 * own, so the path bound counts only paths that are still different (forks minus merges).
 */
export function mergedAway(ctx: Ctx): void {
  ctx.budget.paths--;
}

export function exhausted(ctx: Ctx): boolean {
  const b = ctx.budget;
  if (b.exhausted) return true;
  if (b.paths > ctx.limits.maxPaths) b.exhausted = `more than ${ctx.limits.maxPaths} paths`;
  else if (b.statements > ctx.limits.maxStatements) b.exhausted = `more than ${ctx.limits.maxStatements} statements`;
  else if ((b.statements & 255) === 0 && Date.now() > b.deadline) b.exhausted = `more than ${ctx.limits.maxMillis} ms`;
  return b.exhausted !== null;
}

export function expandMacro(ctx: Ctx, st: PathState, name: string, args: Node[], site: Site, depth: number): ExprOutcome[] | undefined {
  const macro = ctx.model.macros.get(name)!;
  if (macro.params.length !== args.length && !(macro.params.length === 0 && args.length === 0)) return undefined;
  const text = substitute(macro, args.map((a) => a.text));
  const stmts = parseExpansion(ctx, text);
  if (!stmts || stmts.length === 0) return undefined;
  if (stmts.length === 1 && stmts[0].type === 'expression_statement' && stmts[0].namedChild(0)) {
    return evalExpr(ctx, st, stmts[0].namedChild(0)!, site, depth + 1);
  }
  st.stack.push({ kind: 'block', stmts, i: 0, site });
  return [{ st, v: UNKNOWN }];
}

/** One pass over the body: `#p` stringifies, `p` is replaced, then `a ## b` is pasted. */
function substitute(macro: FunctionMacro, actuals: string[]): string {
  const index = new Map(macro.params.map((p, i) => [p, i]));
  const PASTE = '\u0001';
  const body = macro.body.replace(/##/g, PASTE);
  const replaced = body.replace(/(#\s*)?\b([A-Za-z_]\w*)\b/g, (whole, hash: string | undefined, name: string) => {
    const i = index.get(name);
    if (i === undefined) return whole;
    return hash ? JSON.stringify(actuals[i] ?? '') : actuals[i] ?? '';
  });
  return replaced.replace(/\s*\u0001\s*/g, '');
}

/** Parses a macro body as the statements of a function; cached per expansion text. */
function parseExpansion(ctx: Ctx, text: string): Node[] | null {
  if (ctx.expansions.has(text)) return ctx.expansions.get(text)!;
  if (ctx.expansions.size > 200) return null;
  const parsed = parseText(`void __ecp_lens_expansion(void) {\n${text};\n}\n`);
  ctx.ownedTrees.push(parsed.tree);
  const fn = parsed.tree.rootNode.namedChildren.find((n) => n?.type === 'function_definition');
  const body = fn?.childForFieldName('body');
  const stmts = body && !parsed.tree.rootNode.hasError ? body.namedChildren.filter((n): n is Node => Boolean(n) && n!.type !== 'comment') : null;
  ctx.expansions.set(text, stmts);
  return stmts;
}
