/** Calls: ECP routines drive the simulated kernel; other calls are inlined, expanded or treated as opaque. */
import { type Node, isCTree } from '../parsing/parser';
import type { Site, Violation, CallResult, KernelObj } from '../kernel/types';
import type { RoutineInfo } from '../catalog/types';
import { type Ctx, siteOf } from './context';
import { type PathState, addStep, clonePath, writeVar, varType, lookupVar } from './state';
import { type Val, UNKNOWN } from './values';
import { type ExprOutcome, evalExpr, evalCond, stripParens, toSimValue, escapeVal, driverContextName, forgetFields } from './expr';
import { routineInfo, irqlLimit } from './catalogAccess';
import { calleeName } from './relevance';
import { IRQL_RAISERS, IRQL_LOWERERS, POOL_FREES, NON_ESCAPING, isStatusMacro, statusMacroExit } from './specialCalls';
import { irqlLevel, calleeOf, isReferenceParam, type FunctionDef } from './fileModel';
import { reportNullUse, crashHere } from './uses';
import { performExit } from './exec';
import { runRoutine, outcomesFor, guidNameOf } from './routines';
import { inlineCall, inlineLambda, expandMacro } from './inline';
import { lambdaFor, lambdaNamed, escapeCaptures } from './lambdas';
import { unseenListName } from './unseenLists';
import { pointerCallee } from './routinePointers';
import { runsOpaque } from './helperEffects';
import { nameWords } from '../util/codeText';
import type { NameScope } from './constants';

export interface ArgsOutcome {
  st: PathState;
  vals: Val[];
}

export function argNodes(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
}

/** Evaluates arguments left to right; forks multiply. */
export function evalArgs(ctx: Ctx, st: PathState, args: Node[], site: Site | undefined, depth: number): ArgsOutcome[] {
  let outs: ArgsOutcome[] = [{ st, vals: [] }];
  for (const a of args) {
    outs = outs.flatMap((o) => evalExpr(ctx, o.st, a, site, depth + 1).map((r) => ({ st: r.st, vals: [...o.vals, r.v] })));
  }
  return outs;
}

export function evalCall(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const cast = castOperand(ctx, st, node);
  if (cast) return evalExpr(ctx, st, cast, site, depth + 1);
  const name = calleeName(node);
  const args = argNodes(node);
  const s = siteOf(node, site);
  const lambda = lambdaFor(ctx, st, node);
  if (lambda) {
    if (st.callDepth >= ctx.limits.maxCallDepth) return opaqueCall(ctx, st, args, site, depth, false, name);
    return evalArgs(ctx, st, args, site, depth).flatMap((a) => inlineLambda(ctx, a.st, lambda, a.vals, s));
  }
  if (name === 'NT_SUCCESS' || name === 'NT_ERROR' || name === 'NT_WARNING' || name === 'NT_INFORMATION') {
    return evalCond(ctx, st, node, site, depth + 1).map((d) => ({ st: d.st, v: { k: 'bool', v: d.b } }));
  }
  if (ASSERTIONS.has(name) && args.length >= 1) return assume(ctx, st, args[name.endsWith('MSG') && args.length > 1 ? 1 : 0], site, depth);
  const routine = routineInfo(name) ?? routineThroughPointer(ctx, node);
  if (routine) {
    if (args.length !== routine.params.length) return opaqueCall(ctx, st, args, site, depth, false);
    return evalArgs(ctx, st, args, site, depth).flatMap((a) => callRoutine(ctx, a.st, routine, args, a.vals, s));
  }
  // Names resolve in the file of the function running (its own macro, its `static` helper).
  const caller = callingFunction(ctx, st);
  const macro = caller.scope?.get(name) ?? name;
  if (ctx.model.macros.has(macro)) {
    const expanded = expandMacro(ctx, st, macro, args, s, depth);
    if (expanded) return expanded;
  }
  const fn = calleeOf(ctx.model, caller, name);
  if (fn && fn.name !== ctx.fn.name && st.callDepth < ctx.limits.maxCallDepth && !onCallStack(st, fn.name)) {
    const texts = args.map((a) => a.text);
    const guids = args.map((a) => guidNameOf(st, a));
    const lists = args.map((a) => unseenListName(ctx, st, a));
    const byReference = (i: number) => fn.params[i] !== undefined && isReferenceParam(fn.params[i]);
    const bound = (i: number) => byReference(i) && stripParens(args[i]).type === 'identifier';
    return evalArgs(ctx, st, args, site, depth)
      .flatMap((a) => (runsOpaque(ctx, a.st, fn, a.vals, texts) ? forgetEffects(a.st, a.vals, args) : inlineCall(ctx, a.st, fn, bindReferences(a, args, bound), s, guids, lists)))
      .map((o) => forgetReferencedNulls(o, args, (i) => byReference(i) && !bound(i)));
  }
  if (name in IRQL_RAISERS || name === 'KeRaiseIrql') return raiseIrql(ctx, st, name, args, site, depth);
  if (IRQL_LOWERERS.has(name)) {
    return evalArgs(ctx, st, args, site, depth).map((a) => {
      a.st.kernel.setIrql(ctx.fn.startIrql);
      return { st: a.st, v: UNKNOWN };
    });
  }
  if (POOL_FREES.has(name)) return poolFree(ctx, st, name, args, s, site, depth);
  if (isStatusMacro(name) && args.length >= 1) return statusMacro(ctx, st, name, args, s, site, depth);
  const opaque = opaqueCall(ctx, st, args, site, depth, NON_ESCAPING.has(name), name);
  // In C++ a function the engine cannot see may take any argument by reference.
  return isCpp(node) && !NON_ESCAPING.has(name) ? opaque.map((o) => forgetReferencedNulls(o, args, () => true)) : opaque;
}

const isCpp = (node: Node) => !isCTree(node.tree);

/**
 * A caller's variable passed by name to a C++ reference parameter of a program function is given
 * as its address: the callee reads and writes that variable (`List = list` in a builder returning
 * its list through `PECP_LIST &List` leaves the list with the caller, who must free it).
 */
function bindReferences(a: ArgsOutcome, args: Node[], bound: (i: number) => boolean): Val[] {
  return a.vals.map((v, i) => {
    if (!bound(i)) return v;
    const found = lookupVar(a.st, stripParens(args[i]).text);
    return found ? ({ k: 'addr', scope: found.scope, name: found.name } as Val) : v;
  });
}

/**
 * A variable passed by name to a C++ reference parameter may have been written by the callee (a
 * factory's `PVOID& out`, whose writes the engine does not bind to the caller): a NULL it held
 * before the call is no longer known to be NULL after it.
 */
function forgetReferencedNulls(o: ExprOutcome, args: Node[], byReference: (i: number) => boolean): ExprOutcome {
  args.forEach((arg, i) => {
    const given = stripParens(arg);
    if (given.type !== 'identifier' || !byReference(i)) return;
    if (lookupVar(o.st, given.text)?.val.k === 'null') writeVar(o.st, given.text, UNKNOWN);
  });
  return o;
}

/**
 * `(BOOLEAN)(list == NULL)`: tree-sitter reads a cast to a type it does not know, followed by a
 * parenthesised operand, as a call of a parenthesised name. When that name is no function,
 * routine pointer or variable the path knows, it is a type and this is a cast: the operand.
 */
export function castOperand(ctx: Ctx, st: PathState, call: Node): Node | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'parenthesized_expression' || fn.namedChildCount !== 1) return undefined;
  const inner = fn.namedChild(0);
  if (!inner || (inner.type !== 'identifier' && inner.type !== 'qualified_identifier')) return undefined;
  const args = argNodes(call);
  if (args.length !== 1) return undefined;
  const name = inner.text;
  if (routineInfo(name) || ctx.model.functions.has(name) || ctx.model.routinePointers?.has(name) || lookupVar(st, name)) return undefined;
  return args[0];
}

/** A call through a pointer looked up as an ECP routine (`gGetEcpList(...)`, `(*gGetEcpList)(...)`). */
function routineThroughPointer(ctx: Ctx, call: Node): RoutineInfo | undefined {
  const pointers = ctx.model.routinePointers;
  if (!pointers || pointers.size === 0) return undefined;
  const target = pointers.get(pointerCallee(call));
  return target ? routineInfo(target) : undefined;
}

/** Assertion macros: the paths where the asserted condition is false are not explored. */
const ASSERTIONS = new Set(['ASSERT', 'NT_ASSERT', 'FLT_ASSERT', 'NT_VERIFY', 'ASSERTMSG', 'NT_ASSERTMSG', 'FLT_ASSERTMSG', 'NT_FRE_ASSERT', '__analysis_assume', '_Analysis_assume_']);

function assume(ctx: Ctx, st: PathState, cond: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const decisions = evalCond(ctx, st, cond, site, depth + 1);
  const holding = decisions.filter((d) => d.b);
  return (holding.length > 0 ? holding : decisions).map((d) => ({ st: d.st, v: UNKNOWN }));
}

/** The function whose body the path is running (the innermost call, else the analysed one). */
export function callingFunction(ctx: Ctx, st: PathState): FunctionDef {
  for (let i = st.stack.length - 1; i >= 0; i--) {
    const f = st.stack[i];
    if (f.kind === 'call') return ctx.model.functions.get(f.fn) ?? ctx.fn;
  }
  return ctx.fn;
}

/** How names resolve in the function running on the path: a function of another file reads its own file's defines and layouts. */
export function nameScope(ctx: Ctx, st: PathState): NameScope {
  return callingFunction(ctx, st).scope;
}

function onCallStack(st: PathState, name: string): boolean {
  return st.stack.some((f) => f.kind === 'call' && f.fn === name);
}

/** A helper that cannot touch ECP state, applied without running it: what it may write is forgotten. */
function forgetEffects(st: PathState, vals: Val[], args: Node[]): ExprOutcome[] {
  vals.forEach((v, i) => {
    if (v.k === 'addr') st.scopes[v.scope]?.vars.set(v.name, UNKNOWN);
    for (const word of nameWords(args[i].text)) forgetFields(st, word);
  });
  return [{ st, v: UNKNOWN }];
}

/**
 * C++ `T x(args)` / `T x{args}` of a class the program gives a constructor or destructor: what
 * the arguments are given to is an object (an RAII guard that frees a list in its destructor, say)
 * whose members the engine does not follow, so they are handed off, as to any unseen call. The
 * arguments, or undefined when this is no such construction (`NTSTATUS status(F(...))`).
 */
export function constructorArgs(ctx: Ctx, st: PathState, typeText: string, value: Node | null, anyList = false): Node[] | undefined {
  if (!value || (!anyList && value.type !== 'argument_list' && value.type !== 'initializer_list')) return undefined;
  const type = typeText.replace(/^(const|volatile|struct|class)\s+/, '').trim();
  const simple = type.split('::').pop() ?? '';
  if (!/^[A-Za-z_]\w*$/.test(simple)) return undefined;
  const caller = callingFunction(ctx, st);
  const names = [simple, `~${simple}`, `${type}::${simple}`, `${type}::~${simple}`];
  if (!names.some((n) => calleeOf(ctx.model, caller, n))) return undefined;
  return value.namedChildren.filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
}

/**
 * `OwnedList owned(raw);` inside a body, which tree-sitter reads as the declaration of a function
 * `owned` taking a parameter of type `raw` (C++'s most vexing parse): when every "parameter type"
 * is a variable in scope, it is a direct initialisation from those variables. A construction of a
 * class hands them off; `T copy(other)` of any other type copies the one value. False when the
 * declarator is a real function declaration.
 */
export function vexingInit(ctx: Ctx, st: PathState, declarator: Node, typeText: string): boolean {
  if (declarator.type !== 'function_declarator') return false;
  const name = declarator.childForFieldName('declarator');
  const params = declarator.childForFieldName('parameters')?.namedChildren.filter((n) => n && n.type !== 'comment') ?? [];
  if (name?.type !== 'identifier' || params.length === 0) return false;
  const vars: string[] = [];
  for (const p of params) {
    const type = p?.type === 'parameter_declaration' && !p.childForFieldName('declarator') ? p.childForFieldName('type') : null;
    if (type?.type !== 'type_identifier' || !lookupVar(st, type.text)) return false;
    vars.push(type.text);
  }
  const values = vars.map((v) => lookupVar(st, v)!.val);
  const scope = st.scopes[st.scopes.length - 1];
  scope.types.set(name.text, typeText);
  const constructed = constructorArgs(ctx, st, typeText, declarator.childForFieldName('parameters'), true);
  if (constructed || values.length > 1) {
    for (const v of values) escapeVal(st, v);
    scope.vars.set(name.text, UNKNOWN);
  } else {
    scope.vars.set(name.text, values[0]);
  }
  return true;
}

/** Runs the construction `constructorArgs` found: its arguments escape. */
export function construct(ctx: Ctx, st: PathState, args: Node[], site: Site | undefined): ExprOutcome[] {
  return opaqueCall(ctx, st, args, site, 0, false);
}

/** A call the engine cannot see into: every ECP object handed to it escapes. */
function opaqueCall(ctx: Ctx, st: PathState, args: Node[], site: Site | undefined, depth: number, keeps: boolean, name = ''): ExprOutcome[] {
  return evalArgs(ctx, st, args, site, depth).map((a) => {
    a.vals.forEach((v, i) => {
      if (keeps) {
        if (/Memory|^mem/.test(name) && i < 2) reportNullUse(ctx, a.st, v, siteOf(args[i], site), args[i].text.trim());
        return;
      }
      const given = stripParens(args[i]);
      if (given.type === 'lambda_expression') escapeCaptures(a.st, given);
      else {
        const stored = lambdaNamed(ctx, a.st, given);
        if (stored) escapeCaptures(a.st, stored);
      }
      // A list handed to unseen code may have gained members the path does not know of.
      const handed = v.k === 'addr' ? a.st.scopes[v.scope]?.vars.get(v.name) : v;
      if (handed?.k === 'obj') a.st.kernel.noteUnseenCode(handed.id);
      if (v.k === 'addr') {
        const held = a.st.scopes[v.scope]?.vars.get(v.name);
        if (held) escapeVal(a.st, held);
        a.st.scopes[v.scope]?.vars.set(v.name, UNKNOWN);
      } else {
        escapeVal(a.st, v);
      }
      assumeDriverContextSetUp(a.st, args[i]);
      for (const word of nameWords(args[i].text)) {
        forgetFields(a.st, word);
        a.st.kernel.forgetUnseenList(`param:${word}`, ''); // the unseen code may remove what was inserted
      }
    });
    return { st: a.st, v: UNKNOWN };
  });
}

/**
 * A driver create context handed to code the engine cannot see (a wrapper that initialises it, or
 * fills ExtraCreateParameter) is assumed initialised with an unknown list: no finding is guessed.
 */
function assumeDriverContextSetUp(st: PathState, arg: Node): void {
  const name = driverContextName(arg);
  if (!/^[A-Za-z_][\w.>-]*$/.test(name)) return;
  const declared = varType(st, name.split(/[.-]/)[0]) ?? '';
  const known = st.kernel.objects().some((o) => o.kind === 'driver-create-context' && o.name === name);
  if (!known && !/DRIVER_CREATE_CONTEXT/.test(declared)) return;
  const site = { line: arg.startPosition.row, character: arg.startPosition.column, endLine: arg.endPosition.row, endCharacter: arg.endPosition.column };
  st.kernel.initDriverCreateContext(name, site);
  st.kernel.setExtraCreateParameter(name, { kind: 'unknown' }, site);
}

function raiseIrql(ctx: Ctx, st: PathState, name: string, args: Node[], site: Site | undefined, depth: number): ExprOutcome[] {
  const level = name === 'KeRaiseIrql' ? irqlLevel(args[0]?.text.trim() ?? '') ?? 2 : IRQL_RAISERS[name];
  return evalArgs(ctx, st, args, site, depth).map((a) => {
    a.st.kernel.setIrql(Math.max(a.st.kernel.irql, level));
    addStep(a.st, siteOf(args[0] ?? args[0], site), `${name} raises IRQL to ${level === 2 ? 'DISPATCH_LEVEL' : 'APC_LEVEL'}`);
    return { st: a.st, v: UNKNOWN };
  });
}

function poolFree(ctx: Ctx, st: PathState, name: string, args: Node[], s: Site, site: Site | undefined, depth: number): ExprOutcome[] {
  return evalArgs(ctx, st, args, site, depth).map((a) => {
    const target = a.vals[name.includes('Lookaside') ? 1 : 0] ?? UNKNOWN;
    if (target.k === 'obj') {
      const obj = a.st.kernel.get(target.id);
      if (obj && (obj.kind === 'ecp-context' || obj.kind === 'ecp-list')) {
        const right = obj.kind === 'ecp-list' ? `${familyPrefix(obj.family)}FreeExtraCreateParameterList` : `${familyPrefix(obj.family)}FreeExtraCreateParameter`;
        ctx.report({
          code: 'ecp-wrong-free',
          site: s,
          message: `${name} releases ${obj.kind === 'ecp-list' ? 'an ECP list' : 'an ECP context'}; the pointer is not the start of a pool block (a hidden header precedes ECPs) and the cleanup callback would not run. Use ${right}.`,
          related: [{ site: obj.site, message: 'allocated here' }, ...owningList(a.st, obj)],
          fix: undefined,
        });
        a.st.kernel.escape(obj.id);
      }
    }
    return { st: a.st, v: UNKNOWN };
  });
}

/** A context still in a list on this path: the list (the quick fix lets it free the context). */
function owningList(st: PathState, obj: KernelObj): { site: Site; message: string }[] {
  const list = obj.kind === 'ecp-context' && obj.state === 'inserted' && obj.list !== null ? st.kernel.get(obj.list) : undefined;
  return list ? [{ site: list.site, message: 'the list that still owns it' }] : [];
}

export function familyPrefix(family: string): string {
  return family === 'flt' ? 'Flt' : 'FsRtl';
}

/**
 * A status-check macro from a header the engine cannot read. On success the path goes on; on
 * failure it leaves the way the macro's name says. When the way is unclear the failure path is
 * not explored further (logged), rather than walked on as if nothing had been checked.
 */
function statusMacro(ctx: Ctx, st: PathState, name: string, args: Node[], s: Site, site: Site | undefined, depth: number): ExprOutcome[] {
  const out: ExprOutcome[] = [];
  const exit = statusMacroExit(name);
  const label = args.slice(1).map((a) => a.text.trim()).find((t) => /^[A-Za-z_]\w*$/.test(t) && labelExists(ctx, st, t));
  for (const o of evalExpr(ctx, st, args[0], site, depth + 1)) {
    if (o.v.k !== 'status' && o.v.k !== 'unknown' && o.v.k !== 'nonzero') {
      out.push({ st: o.st, v: UNKNOWN });
      continue;
    }
    const decided = o.v.k === 'status' && o.v.site.line >= 0 ? [o.v.name === 'STATUS_SUCCESS'] : [true, false];
    decided.forEach((ok, i) => {
      const p = i === decided.length - 1 ? o.st : clonePath(o.st);
      if (ok) {
        out.push({ st: p, v: UNKNOWN });
        return;
      }
      addStep(p, s, `${name} leaves on failure`);
      const how = exit === 'goto' && label ? { kind: 'goto' as const, label, site: s } : exit === 'leave' ? { kind: 'leave' as const } : exit === 'return' ? { kind: 'return' as const, value: o.v, site: s } : undefined;
      if (how) for (const r of performExit(ctx, p, how)) out.push({ st: r, v: UNKNOWN });
      else ctx.log.push(`${ctx.fn.name}: ${name} at line ${s.line + 1} is defined elsewhere; its failure path is not followed`);
    });
  }
  return out;
}

function labelExists(ctx: Ctx, st: PathState, label: string): boolean {
  const frame = [...st.stack].reverse().find((f) => f.kind === 'call') as Extract<PathState['stack'][number], { kind: 'call' }> | undefined;
  const fn = frame ? ctx.model.functions.get(frame.fn) ?? ctx.fn : ctx.fn;
  return new RegExp(`(^|[\\s;{}])${label}\\s*:(?!:)`).test(fn.body.text);
}

/** Runs one ECP routine on every outcome the engine explores. */
function callRoutine(ctx: Ctx, st: PathState, routine: RoutineInfo, args: Node[], vals: Val[], s: Site): ExprOutcome[] {
  const limit = irqlLimit(routine);
  if (limit !== undefined) {
    const v = st.kernel.checkIrql(routine.name, limit, s);
    if (v) reportViolations(ctx, st, [v]);
  }
  const outcomes = outcomesFor(ctx, st, routine, vals, args[0]?.parent?.parent ?? undefined);
  return outcomes.map((outcome, i) => {
    const p = i === outcomes.length - 1 ? st : clonePath(st);
    const result = runRoutine(ctx, p, routine, args, vals, s, outcome);
    if (p.trace) {
      p.trace.push({
        site: s,
        routine: routine.name,
        args: args.map((a) => a.text.replace(/\s+/g, ' ').trim()),
        status: result.status,
        irql: p.kernel.irql,
        violations: result.violations.map((v) => VIOLATION_CODES[v.kind] ?? v.kind),
        snapshot: p.kernel.snapshot(),
      });
    }
    return { st: p, v: resultValue(routine, result, s) };
  });
}

function resultValue(routine: RoutineInfo, result: CallResult, s: Site): Val {
  if (result.status === null) return UNKNOWN;
  if (result.status === 'TRUE' || result.status === 'FALSE') return { k: 'bool', v: result.status === 'TRUE' };
  const any = routine.returnCodes.some((r) => r.status === result.status && r.anyFailure);
  return { k: 'status', name: result.status, routine: routine.name, site: s, ...(any ? { any } : {}) };
}

const VIOLATION_CODES: Partial<Record<Violation['kind'], string>> = {
  'double-free': 'ecp-double-free',
  'free-inserted': 'ecp-free-inserted',
  'use-after-free': 'ecp-use-after-free',
  'foreign-free': 'ecp-foreign-list-free',
  'empty-list-create': 'ecp-empty-list',
  'create-context-uninitialized': 'ecp-create-context',
  'create-context-list-dead': 'ecp-create-context',
  'create-context-list-unset': 'ecp-create-context',
  'duplicate-type': 'ecp-duplicate-type',
  irql: 'ecp-irql',
  'family-mix': 'ecp-api-family-mix',
};

/** Violations after which the machine is gone: a freed object used or freed again. */
const CRASHES = new Set<Violation['kind']>(['use-after-free', 'double-free']);

export function reportViolations(ctx: Ctx, st: PathState, violations: Violation[]): void {
  for (const v of violations) {
    const code = VIOLATION_CODES[v.kind];
    if (!code) {
      ctx.log.push(`${ctx.fn.name}: ${v.kind} at line ${v.site.line + 1}: ${v.message}`);
      continue;
    }
    const related = [...v.related];
    if (code === 'ecp-irql') related.unshift(...st.steps.filter((x) => /IRQL/.test(x.message)));
    ctx.report({ code, site: v.site, message: v.message, related, objects: v.objects });
    if (CRASHES.has(v.kind)) crashHere(st, v.site, `${code}: the path ends in a crash here`);
  }
}

/**
 * Writes a routine's out-parameter through `&var` (or `(PVOID *)&var`); other targets escape.
 * `privateField`: the target is a field of a local structure the function keeps to itself.
 */
export function writeOut(st: PathState, target: Val, produced: Val, privateField = false): void {
  if (target.k === 'addr') {
    st.scopes[target.scope]?.vars.set(target.name, produced);
    // Written straight into a structure field: followed, but handed off.
    if (target.name.startsWith('@') && !privateField) escapeVal(st, produced);
    return;
  }
  escapeVal(st, produced);
}

export { stripParens, toSimValue, writeVar };
