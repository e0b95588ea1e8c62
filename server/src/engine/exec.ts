/**
 * The statement walker. Each path carries an explicit continuation stack (frames), so nesting
 * depth in the source never turns into recursion here. One call to `step` executes one statement
 * or one frame transition and returns the resulting paths (more than one when a call or a
 * condition forks).
 */
import { isSehLeave, type Node } from '../parsing/parser';
import type { Site } from '../kernel/types';
import { type Ctx, siteOf } from './context';
import { type PathState, type Frame, type PendingExit, addStep, clonePath, writeVar } from './state';
import { evalExpr, evalCond, declareVar, escapeVal, stripParens, mayFailWith } from './expr';
import { constructorArgs, construct, vexingInit } from './calls';
import { isStatusName } from './ntstatus';
import { constantValue } from './constants';
import { neverEnds, unwrapParens } from './loops';
import { ppArmTaken } from './preprocessor';
import { nameScope } from './calls';
import { UNKNOWN, type Val } from './values';

export type Outcome = PathState[];

/** Statements that do nothing for ECP state. */
const SKIPPED = new Set(['comment', 'type_definition', 'preproc_def', 'preproc_function_def', 'preproc_call', 'preproc_include', 'ERROR', ';', 'empty_statement']);

export function step(ctx: Ctx, st: PathState): Outcome {
  const frame = st.stack[st.stack.length - 1];
  if (!frame) {
    st.ended ??= { site: endOfBody(ctx), bugCheck: false };
    return [st];
  }
  switch (frame.kind) {
    case 'block': {
      if (frame.i >= frame.stmts.length) {
        st.stack.pop();
        return [st];
      }
      const stmt = frame.stmts[frame.i++];
      return execStatement(ctx, st, stmt, frame.site);
    }
    case 'loop':
      return loopTurn(ctx, st, frame);
    case 'finally':
      st.stack.pop();
      st.stack.push({ kind: 'block', stmts: [frame.body], i: 0, site: frame.site });
      return [st];
    case 'resume':
      st.stack.pop();
      return performExit(ctx, st, frame.exit);
    case 'call':
      return returnFromCall(ctx, st, UNKNOWN);
    default:
      st.stack.pop();
      return [st];
  }
}

function endOfBody(ctx: Ctx): Site {
  const body = ctx.fn.body;
  return { line: body.endPosition.row, character: Math.max(0, body.endPosition.column - 1), endLine: body.endPosition.row, endCharacter: body.endPosition.column };
}

function pushBlock(st: PathState, nodes: (Node | null | undefined)[], site?: Site): void {
  const stmts = nodes.filter((n): n is Node => Boolean(n) && !SKIPPED.has(n!.type));
  if (stmts.length > 0) st.stack.push({ kind: 'block', stmts, i: 0, site });
}

export function execStatement(ctx: Ctx, st: PathState, node: Node, site?: Site): Outcome {
  const fnRelevance = ctx.relevance(currentFunction(ctx, st));
  // Statements of an expanded macro come from another tree: always relevant.
  const relevance = site ? { relevant: () => true } : fnRelevance;
  switch (node.type) {
    case 'compound_statement':
      pushBlock(st, node.namedChildren, site);
      return [st];
    case 'expression_statement': {
      if (isSehLeave(node)) return performExit(ctx, st, { kind: 'leave' });
      const expr = node.namedChild(0);
      if (!expr || !relevance.relevant(node)) return [st];
      return evalExpr(ctx, st, expr, site).map((o) => o.st);
    }
    case 'declaration':
      return execDeclaration(ctx, st, node, site, relevance.relevant(node));
    case 'if_statement':
      return relevance.relevant(node) ? execIf(ctx, st, node, site) : [st];
    case 'while_statement':
    case 'for_statement':
    case 'do_statement':
      if (!relevance.relevant(node)) {
        // Nothing in it touches ECP state, so it is not run; but one nothing leaves is no path's way on.
        if (!neverEnds(ctx.model, node, nameScope(ctx, st))) return [st];
        noExit(ctx, node);
        return [];
      }
      st.stack.push({ kind: 'loop', node, iteration: 0, site });
      return [st];
    case 'switch_statement':
      return relevance.relevant(node) ? execSwitch(ctx, st, node, site) : [st];
    case 'return_statement':
      return execReturn(ctx, st, node, site);
    case 'break_statement':
      return performExit(ctx, st, { kind: 'break' });
    case 'continue_statement':
      return performExit(ctx, st, { kind: 'continue' });
    case 'seh_leave_statement':
      return performExit(ctx, st, { kind: 'leave' });
    case 'goto_statement': {
      const label = node.childForFieldName('label')?.text ?? '';
      addStep(st, siteOf(node, site), `jumps to ${label}`);
      return performExit(ctx, st, { kind: 'goto', label, site: siteOf(node, site) });
    }
    case 'labeled_statement':
      pushBlock(st, node.namedChildren.filter((c) => c?.type !== 'statement_identifier'), site);
      return [st];
    case 'seh_try_statement':
      return execTry(st, node, site);
    case 'attributed_statement':
      pushBlock(st, node.namedChildren.filter((c) => c?.type !== 'attribute_declaration'), site);
      return [st];
    case 'preproc_if':
    case 'preproc_ifdef':
    case 'preproc_elif':
    case 'preproc_elifdef':
    case 'preproc_else':
      return relevance.relevant(node) ? execConditionalCompilation(ctx, st, node, site) : [st];
    default:
      return [st];
  }
}

/**
 * `#if`/`#ifdef`/`#elif`/`#else` inside a function: the arm the build configuration takes when it
 * tells (`#if 0` is dead code and `#if 1` always taken even without one); any other condition is
 * a configuration we do not know, and each arm is explored as its own path (a leak in the release
 * arm is as real as one in the debug arm). A function of another program file is compiled with
 * that file's configuration (`fn.pp`, absent when none is known: then only literals decide).
 */
function execConditionalCompilation(ctx: Ctx, st: PathState, node: Node, site?: Site): Outcome {
  const alternative = node.childForFieldName('alternative');
  const condition = node.childForFieldName('condition');
  const name = node.childForFieldName('name');
  const body = node.namedChildren.filter((c) => c && c.id !== alternative?.id && c.id !== name?.id && c.id !== condition?.id);
  if (node.type === 'preproc_else') {
    pushBlock(st, body, site);
    return [st];
  }
  const fn = currentFunction(ctx, st);
  const taken = ppArmTaken(node, fn.file ? fn.pp : fn.pp ?? ctx.model.pp);
  if (taken === false) return alternative ? execConditionalCompilation(ctx, st, alternative, site) : [st];
  if (taken === true) {
    pushBlock(st, body, site);
    return [st];
  }
  const other = clonePath(st);
  pushBlock(st, body, site);
  const rest = alternative ? execConditionalCompilation(ctx, other, alternative, site) : [other];
  return [st, ...rest];
}

function currentFunction(ctx: Ctx, st: PathState) {
  for (let i = st.stack.length - 1; i >= 0; i--) {
    const f = st.stack[i];
    if (f.kind === 'call') return ctx.model.functions.get(f.fn) ?? ctx.fn;
  }
  return ctx.fn;
}

/**
 * Declares the variables and runs their initialisers. A declaration that matters to no ECP call
 * declares them with unknown values: the assignments to them are not run either, so an initial
 * value (`ULONG rule = 0;` later set in irrelevant statements) would be stale by the time a
 * helper returns it to a caller that tests it.
 */
function execDeclaration(ctx: Ctx, st: PathState, node: Node, site?: Site, relevant = true): Outcome {
  const typeText = node.childForFieldName('type')?.text ?? '';
  if (!relevant) {
    // A vexing-parse construction names its arguments as types, which relevance does not read.
    for (const d of node.childrenForFieldName('declarator')) if (d && !vexingInit(ctx, st, d, typeText)) declareVar(st, d.type === 'init_declarator' ? d.childForFieldName('declarator') : d, typeText);
    return [st];
  }
  let paths: PathState[] = [st];
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d) continue;
    const next: PathState[] = [];
    for (const p of paths) {
      if (d.type === 'init_declarator') {
        const target = d.childForFieldName('declarator');
        const ctorArgs = constructorArgs(ctx, p, typeText, d.childForFieldName('value'));
        const value = directInitValue(d.childForFieldName('value'));
        const declared = declareVar(p, target, typeText);
        if (ctorArgs) {
          next.push(...construct(ctx, p, ctorArgs, site).map((o) => o.st));
          continue;
        }
        if (!value || value.type === 'initializer_list') {
          if (declared) writeVar(p, declared, value ? UNKNOWN : UNKNOWN);
          next.push(p);
          continue;
        }
        for (const o of evalExpr(ctx, p, value, site)) {
          if (declared) writeVar(o.st, declared, o.v);
          next.push(o.st);
        }
      } else {
        if (!vexingInit(ctx, p, d, typeText)) declareVar(p, d, typeText);
        next.push(p);
      }
    }
    paths = next;
  }
  return paths;
}

/** C++ direct initialisation `NTSTATUS status(F(...));` initialises from the one argument. */
function directInitValue(value: Node | null): Node | null {
  if (value?.type !== 'argument_list') return value;
  return value.namedChildCount === 1 ? value.namedChild(0) : value;
}

function execIf(ctx: Ctx, st: PathState, node: Node, site?: Site): Outcome {
  const condition = node.childForFieldName('condition');
  const consequence = node.childForFieldName('consequence');
  const alternative = node.childForFieldName('alternative');
  if (!condition) return [st];
  const out: PathState[] = [];
  const decisions = evalCond(ctx, st, condition, site);
  for (const d of decisions) {
    if (decisions.length > 1 || d.learned) addStep(d.st, siteOf(condition, site), `${compact(condition.text)} is ${d.b ? 'true' : 'false'} here`);
    if (d.b) pushBlock(d.st, [consequence], site);
    else if (alternative) pushBlock(d.st, alternative.namedChildren, site);
    out.push(d.st);
  }
  return out;
}

export function compact(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function execTry(st: PathState, node: Node, site?: Site): Outcome {
  const body = node.childForFieldName('body');
  const fin = node.namedChildren.find((c) => c?.type === 'seh_finally_clause');
  const finBody = fin?.childForFieldName('body');
  if (finBody) st.stack.push({ kind: 'finally', body: finBody, site });
  st.stack.push({ kind: 'try', site });
  pushBlock(st, [body], site);
  return [st];
}

function execReturn(ctx: Ctx, st: PathState, node: Node, site?: Site): Outcome {
  const expr = node.namedChild(0);
  const s = siteOf(node, site);
  if (!expr) return performExit(ctx, st, { kind: 'return', value: UNKNOWN, site: s });
  return evalExpr(ctx, st, expr, site).flatMap((o) => performExit(ctx, o.st, { kind: 'return', value: o.v, site: s }));
}

/** Unwinds frames for return/break/continue/__leave/goto, running __finally blocks on the way. */
export function performExit(ctx: Ctx, st: PathState, exit: PendingExit): Outcome {
  while (st.stack.length > 0) {
    const f = st.stack.pop()!;
    if (f.kind === 'finally' && exit.kind !== 'goto') {
      st.stack.push({ kind: 'resume', exit });
      st.stack.push({ kind: 'block', stmts: [f.body], i: 0, site: f.site });
      return [st];
    }
    if (f.kind === 'call') {
      st.stack.push(f);
      if (exit.kind === 'goto') return gotoLabel(ctx, st, exit);
      return returnFromCall(ctx, st, exit.kind === 'return' ? exit.value : UNKNOWN);
    }
    if (exit.kind === 'break' && (f.kind === 'loop' || f.kind === 'switch')) return [st];
    if (exit.kind === 'continue' && f.kind === 'loop') {
      st.stack.push(f);
      return [st];
    }
    if (exit.kind === 'leave' && f.kind === 'try') return [st];
  }
  if (exit.kind === 'goto') return gotoLabel(ctx, st, exit);
  if (exit.kind === 'return') {
    escapeVal(st, exit.value);
    st.ended = { site: exit.site, bugCheck: false };
    addStep(st, exit.site, 'returns here');
  } else {
    st.ended = { site: endOfBody(ctx), bugCheck: false };
  }
  return [st];
}

/** Rebuilds the continuation stack so execution resumes at `label:` in the current function. */
function gotoLabel(ctx: Ctx, st: PathState, exit: { label: string; site: Site }): Outcome {
  const fn = currentFunction(ctx, st);
  const target = findLabel(fn.body, exit.label);
  if (!target) {
    ctx.log.push(`${fn.name}: goto ${exit.label} has no label; path dropped`);
    return [];
  }
  const chain: Node[] = [];
  for (let n: Node | null = target; n && n.id !== fn.body.id; n = n.parent) chain.unshift(n);
  let container: Node = fn.body;
  const site = fn.fromHeader ? callerSite(st) : undefined;
  for (const n of chain) {
    if (container.type === 'compound_statement' || container.type === 'case_statement') {
      const stmts = container.namedChildren.filter((c): c is Node => Boolean(c) && !SKIPPED.has(c!.type) && c!.type !== 'statement_identifier');
      const i = stmts.findIndex((c) => c.id === n.id);
      if (container.type === 'case_statement' && container.childForFieldName('value')?.id === n.id) continue;
      st.stack.push({ kind: 'block', stmts, i: Math.max(0, i), site });
    } else if (container.type === 'while_statement' || container.type === 'for_statement' || container.type === 'do_statement') {
      st.stack.push({ kind: 'loop', node: container, iteration: ctx.limits.maxLoopIterations, site });
    } else if (container.type === 'switch_statement') {
      st.stack.push({ kind: 'switch', site });
    }
    container = n;
  }
  // Resume at the labelled statement itself: the innermost block frame points at it.
  return [st];
}

/** The call site of the innermost inlined call (where a header helper's steps are reported). */
function callerSite(st: PathState): Site | undefined {
  for (let i = st.stack.length - 1; i >= 0; i--) {
    const f = st.stack[i];
    if (f.kind === 'call') return f.callerSite;
  }
  return undefined;
}

function findLabel(body: Node, label: string): Node | null {
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'labeled_statement' && n.childForFieldName('label')?.text === label) return n;
    for (let i = 0; i < n.namedChildCount; i++) {
      const c = n.namedChild(i);
      if (c && c.type !== 'function_definition') stack.push(c);
    }
  }
  return null;
}

function loopTurn(ctx: Ctx, st: PathState, frame: Extract<Frame, { kind: 'loop' }>): Outcome {
  const node = frame.node;
  const site = frame.site;
  const body = node.childForFieldName('body');
  let paths: PathState[] = [st];
  if (node.type === 'for_statement') {
    if (frame.iteration === 0) {
      const init = node.childForFieldName('initializer');
      if (init) paths = init.type === 'declaration' ? execDeclaration(ctx, st, init, site) : evalExpr(ctx, st, init, site).map((o) => o.st);
    } else {
      const update = node.childForFieldName('update');
      if (update) paths = paths.flatMap((p) => evalExpr(ctx, p, update, site).map((o) => o.st));
    }
  }
  if (node.type === 'do_statement' && frame.iteration === 0) {
    frame.iteration = 1;
    pushBlock(st, [body], site);
    return [st];
  }
  const condition = node.childForFieldName('condition');
  const out: PathState[] = [];
  for (const p of paths) {
    const top = p.stack[p.stack.length - 1] as Extract<Frame, { kind: 'loop' }>;
    const decisions = condition ? evalCond(ctx, p, unwrapParens(condition), site) : [{ st: p, b: true, learned: false }];
    for (const d of decisions) {
      const loopFrame = d.st.stack[d.st.stack.length - 1] as Extract<Frame, { kind: 'loop' }>;
      if (!d.b) {
        d.st.stack.pop();
        out.push(d.st);
      } else if (top.iteration < ctx.limits.maxLoopIterations) {
        loopFrame.iteration = top.iteration + 1;
        pushBlock(d.st, [body], site);
        out.push(d.st);
      } else if (decisions.length === 1) {
        const left = leaveBoundedLoop(ctx, d.st, node);
        if (left) out.push(left);
      }
    }
  }
  return out;
}

/**
 * A loop still running when the engine stops unrolling it. A loop whose condition depends on
 * values (`i < 10` with `i` counted) ends some time later: it is left with what its header
 * updates forgotten. A loop with no condition or a constant one (`for (;;)`, `while (TRUE)`) is
 * left only through break, return or goto: this path never gets past it.
 */
function leaveBoundedLoop(ctx: Ctx, st: PathState, node: Node): PathState | null {
  const condition = node.childForFieldName('condition');
  const line = node.startPosition.row + 1;
  if (!condition || constantValue(ctx.model, unwrapParens(condition), nameScope(ctx, st)) !== undefined) {
    noExit(ctx, node);
    return null;
  }
  ctx.log.push(`${ctx.fn.name}: loop at line ${line} still running after ${ctx.limits.maxLoopIterations} iterations; continuing after it`);
  for (const name of writtenNames(node.childForFieldName('update'))) writeVar(st, name, UNKNOWN);
  st.stack.pop();
  return st;
}

/** The path ends in a loop it never leaves: said in the log, and the run counts the loop as the reason it reached no end. */
function noExit(ctx: Ctx, node: Node): void {
  const line = node.startPosition.row + 1;
  ctx.log.push(`${ctx.fn.name}: the loop at line ${line} has no exit on this path (no break, return or goto leaves it); the function never returns on that path`);
  ctx.endless.push(line);
}

function writtenNames(node: Node | null): string[] {
  if (!node) return [];
  const targets = node.descendantsOfType(['update_expression', 'assignment_expression']).map((n) => stripParens((n!.childForFieldName('argument') ?? n!.childForFieldName('left'))!));
  return targets.filter((t) => t && t.type === 'identifier').map((t) => t.text);
}


function execSwitch(ctx: Ctx, st: PathState, node: Node, site?: Site): Outcome {
  const condition = node.childForFieldName('condition');
  const body = node.childForFieldName('body');
  if (!condition || !body) return [st];
  const stmts: Node[] = [];
  const entries: { value: Node | null; index: number }[] = [];
  for (const child of body.namedChildren) {
    if (!child || SKIPPED.has(child.type)) continue;
    if (child.type === 'case_statement') {
      const value = child.childForFieldName('value');
      entries.push({ value, index: stmts.length });
      for (const c of child.namedChildren) if (c && c.id !== value?.id && !SKIPPED.has(c.type)) stmts.push(c);
    } else {
      stmts.push(child);
    }
  }
  const out: PathState[] = [];
  for (const o of evalExpr(ctx, st, unwrapParens(condition), site)) {
    const chosen = chooseCases(ctx, o.st, o.v, entries);
    chosen.forEach((entry, k) => {
      const p = k === chosen.length - 1 ? o.st : clonePath(o.st);
      if (entry) {
        narrowSwitchedStatus(p, o.v, unwrapParens(condition), entry.value);
        p.stack.push({ kind: 'switch', site });
        p.stack.push({ kind: 'block', stmts, i: entry.index, site });
        if (chosen.length > 1) addStep(p, siteOf(entry.value ?? node, site), entry.value ? `takes case ${compact(entry.value.text)}` : 'takes the default case');
      }
      out.push(p);
    });
  }
  return out;
}

/** `switch (status)` on an any-failure status: in `case STATUS_X:` the status is STATUS_X. */
function narrowSwitchedStatus(st: PathState, v: Val, subject: Node, value: Node | null): void {
  if (v.k !== 'status' || !v.any || !value || subject.type !== 'identifier') return;
  const name = value.text.trim();
  if (isStatusName(name)) writeVar(st, subject.text, { k: 'status', name, routine: v.routine, site: v.site });
}

function chooseCases(ctx: Ctx, st: PathState, v: Val, entries: { value: Node | null; index: number }[]): ({ value: Node | null; index: number } | null)[] {
  const byDefault = entries.find((e) => e.value === null) ?? null;
  const known = v.k === 'int' ? v.v : v.k === 'bool' ? (v.v ? 1 : 0) : undefined;
  if (known !== undefined) {
    const scope = nameScope(ctx, st);
    const values = entries.filter((e) => e.value).map((e) => ({ e, c: constantValue(ctx.model, e.value!, scope) }));
    const match = values.find((x) => x.c === known);
    if (match) return [match.e];
    if (values.every((x) => x.c !== undefined)) return [byDefault];
  }
  if (v.k === 'status' && v.any) {
    // Any failure: every case naming a failure status may be taken, and the default.
    const failing = entries.filter((e) => e.value && (!isStatusName(e.value.text.trim()) || mayFailWith(e.value.text.trim())));
    return [...failing, byDefault];
  }
  if (v.k === 'status' || v.k === 'int') {
    const name = v.k === 'status' ? v.name : String(v.v);
    const match = entries.find((e) => e.value && e.value.text.trim() === name);
    if (match) return [match];
    if (v.k === 'status') {
      const named = entries.filter((e) => e.value && /^STATUS_/.test(e.value.text.trim()));
      if (named.length > 0 && !named.some((e) => e.value!.text.trim() === name)) return [byDefault];
    }
  }
  const all: ({ value: Node | null; index: number } | null)[] = entries.filter((e) => e.value !== null);
  all.push(byDefault);
  return all;
}

function returnFromCall(ctx: Ctx, st: PathState, value: Val): Outcome {
  const frame = st.stack.pop() as Extract<Frame, { kind: 'call' }>;
  while (st.scopes.length > frame.scopeDepth) st.scopes.pop();
  const built = 1 << st.callDepth;
  st.callDepth--;
  // What a helper built is its caller's now.
  if (st.builtEcps & built) st.builtEcps = (st.builtEcps & ~built) | (1 << st.callDepth);
  st.returnValue = value;
  if (frame.resultVar) writeVar(st, frame.resultVar, value);
  void ctx;
  return [st];
}
