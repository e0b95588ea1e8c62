/**
 * Expressions and conditions. Evaluation can fork (a call that may fail, an unknown condition), so
 * every evaluator returns the list of resulting paths with their values. Depth is bounded: an
 * absurdly nested expression evaluates to "unknown" instead of exhausting the stack.
 */
import type { Node } from '../parsing/parser';
import type { Site } from '../kernel/types';
import { type Ctx, siteOf } from './context';
import { type PathState, clonePath, readVar, writeVar, lookupVar, isLocal } from './state';
import { isPrivateLocalField, baseScope } from './localAggregates';
import { type Val, UNKNOWN, NULL_VAL, NONZERO, isTruthy } from './values';
import { evalCall, castOperand, nameScope } from './calls';
import { constantValue, type NameScope } from './constants';
import { statusClass, isStatusName } from './ntstatus';
import { declaredName } from './fileModel';
import { reportNullUse, reportUntrustedPayload } from './uses';
import { calleeName } from './relevance';
import { guidTest } from './walkTypes';

export interface ExprOutcome {
  st: PathState;
  v: Val;
}

export interface CondOutcome {
  st: PathState;
  b: boolean;
  /** The branch was decided by what the path knows (not assumed). */
  learned: boolean;
}

const MAX_DEPTH = 64;

export function evalExpr(ctx: Ctx, st: PathState, node: Node, site?: Site, depth = 0): ExprOutcome[] {
  if (st.ended || depth > MAX_DEPTH) return [{ st, v: UNKNOWN }];
  switch (node.type) {
    case 'parenthesized_expression':
    case 'condition_clause': // C++ `if (...)`
    case 'cast_expression': {
      const inner = node.type === 'parenthesized_expression' ? node.namedChild(0) : node.childForFieldName('value');
      return inner ? evalExpr(ctx, st, inner, site, depth + 1) : [{ st, v: UNKNOWN }];
    }
    case 'identifier':
      return [{ st, v: identifierValue(ctx, st, node.text) }];
    case 'qualified_identifier': // C++ `driver::Filter`, `::GlobalName`
      return [{ st, v: identifierValue(ctx, st, node.text.startsWith('::') ? node.text.slice(2) : node.text) }];
    case 'null':
    case 'nullptr':
      return [{ st, v: NULL_VAL }];
    case 'number_literal':
    case 'char_literal':
    case 'true':
    case 'false':
      return [{ st, v: constantOrUnknown(ctx, st, node) }];
    case 'pointer_expression':
      return evalPointer(ctx, st, node, site, depth);
    case 'assignment_expression':
      return evalAssignment(ctx, st, node, site, depth);
    case 'call_expression':
      return evalCall(ctx, st, node, site, depth);
    case 'conditional_expression':
      return evalConditional(ctx, st, node, site, depth);
    case 'comma_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const firsts = left ? evalExpr(ctx, st, left, site, depth + 1) : [{ st, v: UNKNOWN }];
      return right ? firsts.flatMap((o) => evalExpr(ctx, o.st, right, site, depth + 1)) : firsts;
    }
    case 'field_expression':
      return evalFieldRead(ctx, st, node, site, depth);
    case 'binary_expression':
    case 'unary_expression':
      return evalOperator(ctx, st, node, site, depth);
    case 'update_expression':
      return evalUpdate(ctx, st, node, site, depth);
    case 'sizeof_expression':
      return [{ st, v: constantOrUnknown(ctx, st, node) }];
    case 'lambda_expression': // its body runs when it is called, not where it is written
      return [{ st, v: UNKNOWN }];
    default:
      return evalChildrenForEffects(ctx, st, node, site, depth);
  }
}

function constantOrUnknown(ctx: Ctx, st: PathState, node: Node): Val {
  const c = constantValue(ctx.model, node, nameScope(ctx, st));
  return c === undefined ? UNKNOWN : { k: 'int', v: c };
}

function identifierValue(ctx: Ctx, st: PathState, name: string): Val {
  const local = lookupVar(st, name);
  if (local) return local.val;
  if (name === 'NULL') return NULL_VAL;
  if (name === 'TRUE') return { k: 'bool', v: true };
  if (name === 'FALSE') return { k: 'bool', v: false };
  const scope = nameScope(ctx, st);
  const alias = aliasOf(ctx, name, scope);
  if (isStatusName(alias)) return { k: 'status', name: alias, routine: '', site: { line: -1, character: 0, endLine: -1, endCharacter: 0 } };
  if (alias === 'NULL' || ctx.model.defines.get(scope?.get(alias) ?? alias) === '((void*)0)') return NULL_VAL;
  const c = constantValue(ctx.model, name, scope);
  return c === undefined ? UNKNOWN : { k: 'int', v: c };
}

/**
 * The name an object-like macro stands for when it only renames another (`#define
 * NOTES_NOTHING_TO_TAG STATUS_NOT_FOUND`, through a few levels and parentheses): a driver's own
 * status names then read as the status they are, so its callers' status tests prune as they would
 * for the status itself.
 */
function aliasOf(ctx: Ctx, name: string, scope: NameScope): string {
  let current = name;
  for (let i = 0; i < 8; i++) {
    const body = ctx.model.defines.get(scope?.get(current) ?? current)?.replace(/[()\s]/g, '');
    if (!body || !/^[A-Za-z_]\w*$/.test(body) || body === current) return current;
    current = body;
  }
  return current;
}

/** Evaluates sub-expressions only for their calls and assignments. */
function evalChildrenForEffects(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  let outs: ExprOutcome[] = [{ st, v: UNKNOWN }];
  for (const child of node.namedChildren) {
    if (!child || !mattersForState(child)) continue;
    outs = outs.flatMap((o) => evalExpr(ctx, o.st, child, site, depth + 1).map((r) => ({ st: r.st, v: UNKNOWN })));
  }
  return outs;
}

/** Calls and assignments change state; `p->f` and `*p` read through a pointer (a payload, a NULL). */
function mattersForState(node: Node): boolean {
  return /[=(+*>-]/.test(node.text) && node.descendantsOfType(['call_expression', 'assignment_expression', 'update_expression', 'field_expression', 'pointer_expression']).length > 0;
}

function evalPointer(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const operand = node.childForFieldName('argument');
  const op = node.childForFieldName('operator')?.text ?? node.text[0];
  if (!operand) return [{ st, v: UNKNOWN }];
  if (op === '&') {
    const target = stripParens(operand);
    if (target.type === 'identifier') {
      const found = lookupVar(st, target.text);
      if (found) return [{ st, v: { k: 'addr', scope: found.scope, name: found.name } }];
    }
    const field = fieldKey(target);
    const object = target.type === 'field_expression' && target.childForFieldName('operator')?.text === '->' ? target.childForFieldName('argument') : null;
    // `&ecp->Name` hands on a field of what ecp points to: a use of a found ECP's payload.
    if (object) reportUntrustedPayload(ctx, st, baseValue(st, object), siteOf(node, site), compactText(node));
    if (field) {
      const found = lookupVar(st, field);
      if (found) return [{ st, v: { k: 'addr', scope: found.scope, name: field } }];
      const scope = isPrivateLocalField(ctx, st, field, target) ? baseScope(st, field) : st.scopes.length - 1;
      st.scopes[scope].vars.set(field, UNKNOWN);
      return [{ st, v: { k: 'addr', scope, name: field } }];
    }
    return evalExpr(ctx, st, operand, site, depth + 1).map((o) => ({ st: o.st, v: UNKNOWN }));
  }
  // Dereference: a use of the pointer.
  return evalExpr(ctx, st, operand, site, depth + 1).map((o) => {
    reportNullUse(ctx, o.st, o.v, siteOf(node, site), `*${compactText(operand)}`);
    if (o.v.k === 'addr') return { st: o.st, v: o.st.scopes[o.v.scope]?.vars.get(o.v.name) ?? UNKNOWN };
    return { st: o.st, v: UNKNOWN };
  });
}

export function stripParens(node: Node): Node {
  let n = node;
  for (let guard = 0; guard < 100; guard++) {
    if (n.type === 'parenthesized_expression' && n.namedChild(0)) n = n.namedChild(0)!;
    else if (n.type === 'cast_expression' && n.childForFieldName('value')) n = n.childForFieldName('value')!;
    else break;
  }
  return n;
}

function compactText(node: Node): string {
  return node.text.replace(/\s+/g, ' ').slice(0, 40);
}

function evalAssignment(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const op = node.childForFieldName('operator')?.text ?? '=';
  if (!left || !right) return [{ st, v: UNKNOWN }];
  return evalExpr(ctx, st, right, site, depth + 1).map((o) => {
    const value = op === '=' ? o.v : compoundValue(op, readTarget(o.st, stripParens(left)), o.v);
    assignTo(ctx, o.st, stripParens(left), value, site);
    return { st: o.st, v: value };
  });
}

/** `x op= y` on two known integers (counters, flag words); anything else is unknown. */
function compoundValue(op: string, current: Val, operand: Val): Val {
  const a = intOf(current);
  const b = intOf(operand);
  if (a === undefined || b === undefined) return UNKNOWN;
  const v = applyArithmetic(op.slice(0, -1), a, b);
  return v === undefined ? UNKNOWN : { k: 'int', v };
}

function applyArithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '|': return a | b;
    case '&': return a & b;
    case '^': return a ^ b;
    case '<<': return a << b;
    case '>>': return a >> b;
    default: return undefined;
  }
}

export function intOf(v: Val): number | undefined {
  if (v.k === 'int') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return undefined;
}

/** The value a local or a followed field holds, for read-modify-write operators. */
function readTarget(st: PathState, target: Node): Val {
  if (target.type === 'identifier') return readVar(st, target.text);
  const key = fieldKey(target);
  return key ? (lookupVar(st, key)?.val ?? UNKNOWN) : UNKNOWN;
}

/** `i++`, `--i`: a known integer moves by one; the expression's value is the old or new one. */
function evalUpdate(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const arg = node.childForFieldName('argument');
  const op = node.childForFieldName('operator')?.text ?? '';
  if (!arg) return [{ st, v: UNKNOWN }];
  const target = stripParens(arg);
  if (target.type !== 'identifier' && !fieldKey(target)) return evalChildrenForEffects(ctx, st, node, site, depth);
  const before = intOf(readTarget(st, target));
  const after: Val = before === undefined ? UNKNOWN : { k: 'int', v: op === '++' ? before + 1 : before - 1 };
  assignTo(ctx, st, target, after, site);
  const prefix = node.firstChild?.type === op;
  return [{ st, v: prefix ? after : before === undefined ? UNKNOWN : { k: 'int', v: before } }];
}

/** Stores a value into an lvalue: a local, a driver-context field, or somewhere the engine cannot follow. */
export function assignTo(ctx: Ctx, st: PathState, left: Node, value: Val, site?: Site): void {
  if (left.type === 'identifier') {
    forgetFields(st, left.text);
    if (!writeVar(st, left.text, value)) escapeVal(st, value);
    return;
  }
  if (left.type === 'field_expression') {
    const field = left.childForFieldName('field')?.text;
    const object = left.childForFieldName('argument');
    const name = object ? driverContextName(object) : '';
    if (field === 'ExtraCreateParameter' && name) {
      st.kernel.setExtraCreateParameter(name, toSimValue(value), siteOf(left, site));
      return;
    }
    if (field === 'DeviceObjectHint' && name && isTruthy(value) !== false) {
      st.kernel.setDeviceObjectHint(name, siteOf(left, site));
      return;
    }
    if (field === 'Size' && name && isDriverContextVar(st, name)) {
      st.kernel.initDriverCreateContext(name, siteOf(left, site));
      return;
    }
    if (object) reportNullUse(ctx, st, baseValue(st, object), siteOf(left, site), compactText(left));
    const key = fieldKey(left);
    if (key) {
      // Remember what the field holds (a status kept in `Req->Status`, an ECP parked in
      // `Ctx->Ecp`); an object stored in a structure is handed off all the same.
      const found = lookupVar(st, key);
      const isPrivate = isPrivateLocalField(ctx, st, key, left);
      st.scopes[found ? found.scope : isPrivate ? baseScope(st, key) : st.scopes.length - 1].vars.set(key, value);
      if (!isPrivate) escapeVal(st, value);
      return;
    }
  }
  if (left.type === 'pointer_expression') {
    const target = left.childForFieldName('argument');
    const base = target ? baseValue(st, stripParens(target)) : UNKNOWN;
    if (base.k === 'addr') {
      st.scopes[base.scope]?.vars.set(base.name, value);
      if (base.name.startsWith('@')) escapeVal(st, value);
      return;
    }
    if (target) reportNullUse(ctx, st, base, siteOf(left, site), compactText(left));
    if (target && value.k === 'obj') notePublished(ctx, st, stripParens(target), value.id, siteOf(left, site));
  }
  escapeVal(st, value);
}

/** `*Out = ecp` through a parameter of the analysed function: remembered, so a later rejected insert takes it back. */
function notePublished(ctx: Ctx, st: PathState, target: Node, id: number, site: Site): void {
  if (target.type !== 'identifier' || st.callDepth > 0 || !ctx.fn.params.some((p) => p.name === target.text)) return;
  const origin = st.origins.get(id);
  if (origin) st.origins.set(id, { ...origin, publishedAt: site });
}

/** Name of a driver create context as written (`dcc`, `&dcc`, `ctx->Dcc`), spaces removed. */
export function driverContextName(node: Node): string {
  return stripParens(node).text.replace(/^&/, '').replace(/\s+/g, '');
}

function isDriverContextVar(st: PathState, name: string): boolean {
  return st.kernel.objects().some((o) => o.kind === 'driver-create-context' && o.name === name) || /DRIVER_CREATE_CONTEXT/.test(typeOfVar(st, name));
}

function typeOfVar(st: PathState, name: string): string {
  for (const sc of st.scopes) {
    const t = sc.types.get(name);
    if (t) return t;
  }
  return '';
}

function baseValue(st: PathState, node: Node): Val {
  const n = stripParens(node);
  if (n.type === 'identifier') return readVar(st, n.text);
  return UNKNOWN;
}

export function toSimValue(v: Val): import('../kernel/types').SimValue {
  if (v.k === 'obj') return { kind: 'obj', id: v.id };
  if (v.k === 'null') return { kind: 'null' };
  if (v.k === 'int') return v.v === 0 ? { kind: 'null' } : { kind: 'int', value: v.v };
  return { kind: 'unknown' };
}

/** The engine loses sight of an object: it is never reported as leaked. */
export function escapeVal(st: PathState, v: Val): void {
  if (v.k === 'obj') st.kernel.escape(v.id);
}

function evalFieldRead(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const object = node.childForFieldName('argument');
  if (!object) return [{ st, v: UNKNOWN }];
  const arrow = node.childForFieldName('operator')?.text === '->' || node.text.includes('->');
  const key = fieldKey(node);
  return evalExpr(ctx, st, object, site, depth + 1).map((o) => {
    if (arrow) reportNullUse(ctx, o.st, o.v, siteOf(node, site), compactText(node));
    return { st: o.st, v: key ? (lookupVar(o.st, key)?.val ?? UNKNOWN) : UNKNOWN };
  });
}

/**
 * Fields are followed as pseudo-variables named by their access path (`@Req->Status`), when the
 * path is a variable followed by field names. They are forgotten when the variable changes or
 * is handed to code the engine cannot see.
 */
export function fieldKey(node: Node): string | undefined {
  if (node.type !== 'field_expression') return undefined;
  const text = node.text.replace(/\s+/g, '');
  return /^[A-Za-z_]\w*((->|\.)[A-Za-z_]\w*)+$/.test(text) ? `@${text}` : undefined;
}

export function forgetFields(st: PathState, base: string): void {
  for (const scope of st.scopes) {
    for (const key of scope.vars.keys()) {
      if (key.startsWith(`@${base}.`) || key.startsWith(`@${base}->`)) scope.vars.delete(key);
    }
  }
}

function evalOperator(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const c = constantValue(ctx.model, node, nameScope(ctx, st));
  if (c !== undefined) return [{ st, v: { k: 'int', v: c } }];
  const op = node.childForFieldName('operator')?.text ?? '';
  if (op === '&&' || op === '||' || op === '!' || op === '==' || op === '!=') {
    return evalCond(ctx, st, node, site, depth + 1).map((d) => ({ st: d.st, v: { k: 'bool', v: d.b } as Val }));
  }
  return evalChildrenForEffects(ctx, st, node, site, depth);
}

function evalConditional(ctx: Ctx, st: PathState, node: Node, site: Site | undefined, depth: number): ExprOutcome[] {
  const condition = node.childForFieldName('condition');
  const consequence = node.childForFieldName('consequence');
  const alternative = node.childForFieldName('alternative');
  if (!condition) return [{ st, v: UNKNOWN }];
  return evalCond(ctx, st, condition, site, depth + 1).flatMap((d) => {
    const branch = d.b ? consequence : alternative;
    return branch ? evalExpr(ctx, d.st, branch, site, depth + 1) : [{ st: d.st, v: UNKNOWN }];
  });
}

/** Declares a local from a declarator; returns its name. */
export function declareVar(st: PathState, declarator: Node | null, typeText: string): string | undefined {
  const name = declaredName(declarator);
  if (!name) return undefined;
  const scope = st.scopes[st.scopes.length - 1];
  const pointer = declarator?.type === 'pointer_declarator' ? '*' : '';
  scope.types.set(name, `${typeText}${pointer}`);
  scope.vars.set(name, UNKNOWN);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Conditions

export function evalCond(ctx: Ctx, st: PathState, node: Node, site?: Site, depth = 0): CondOutcome[] {
  if (st.ended || depth > MAX_DEPTH) return fork(st);
  const n = node;
  switch (n.type) {
    case 'parenthesized_expression':
    case 'condition_clause': // C++ `if (...)`
    case 'cast_expression': {
      const inner = n.type === 'parenthesized_expression' ? n.namedChild(0) : n.childForFieldName('value');
      return inner ? evalCond(ctx, st, inner, site, depth + 1) : fork(st);
    }
    case 'unary_expression': {
      const op = n.childForFieldName('operator')?.text;
      const arg = n.childForFieldName('argument');
      if (op === '!' && arg) return evalCond(ctx, st, arg, site, depth + 1).map((d) => ({ ...d, b: !d.b }));
      break;
    }
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!left || !right) break;
      if (op === '&&' || op === '||') return evalLogical(ctx, st, op, left, right, site, depth);
      if (op === '==' || op === '!=') return evalEquality(ctx, st, op, left, right, site, depth);
      if (op === '<' || op === '>' || op === '<=' || op === '>=') return evalStatusOrdering(ctx, st, op, left, right, site, depth);
      break;
    }
    case 'call_expression': {
      const cast = castOperand(ctx, st, n);
      if (cast) return evalCond(ctx, st, cast, site, depth + 1);
      const fn = calleeName(n);
      const arg = n.childForFieldName('arguments')?.namedChild(0);
      if (arg && (fn === 'NT_SUCCESS' || fn === 'NT_ERROR' || fn === 'NT_WARNING' || fn === 'NT_INFORMATION')) {
        return evalExpr(ctx, st, arg, site, depth + 1).flatMap((o) => statusTest(o.st, o.v, fn, arg));
      }
      const typed = guidTest(st, n);
      if (typed) return typed.map((d) => ({ ...d, learned: true }));
      break;
    }
    default:
      break;
  }
  return evalExpr(ctx, st, n, site, depth + 1).flatMap((o) => truthTest(o.st, o.v, n));
}

function fork(st: PathState): CondOutcome[] {
  return [
    { st, b: true, learned: false },
    { st: clonePath(st), b: false, learned: false },
  ];
}

function evalLogical(ctx: Ctx, st: PathState, op: string, left: Node, right: Node, site: Site | undefined, depth: number): CondOutcome[] {
  const out: CondOutcome[] = [];
  for (const l of evalCond(ctx, st, left, site, depth + 1)) {
    const shortCircuit = op === '&&' ? !l.b : l.b;
    if (shortCircuit) out.push(l);
    else out.push(...evalCond(ctx, l.st, right, site, depth + 1));
  }
  return out;
}

function statusTest(st: PathState, v: Val, macro: string, node: Node): CondOutcome[] {
  if (v.k === 'status') {
    const cls = statusClass(v.name) ?? (v.name === 'success' ? 'success' : undefined);
    if (cls) {
      const b = macro === 'NT_SUCCESS' ? cls === 'success' || cls === 'information' : macro === 'NT_ERROR' ? cls === 'error' : macro === 'NT_WARNING' ? cls === 'warning' : cls === 'information';
      return [{ st, b, learned: true }];
    }
  }
  const outs = fork(st);
  // Learn: a status the path does not know, found failing, stays failing (with any failure
  // status), so a later `NT_SUCCESS(status)` on that path does not take the success branch too:
  // `if (!NT_SUCCESS(status)) goto Exit; ... Exit: if (NT_SUCCESS(status)) Free(list);`.
  const target = stripParens(node);
  if (v.k === 'unknown' && target.type === 'identifier' && macro === 'NT_SUCCESS') {
    writeVar(outs[1].st, target.text, { k: 'status', name: 'STATUS_UNSUCCESSFUL', routine: '', site: NO_SITE, any: true });
  }
  return outs;
}

const NO_SITE: Site = { line: -1, character: 0, endLine: -1, endCharacter: 0 };

function truthTest(st: PathState, v: Val, node: Node): CondOutcome[] {
  const t = isTruthy(v);
  if (t !== undefined) return [{ st, b: t, learned: true }];
  // Learn: `if (p)` with p unknown — in the false branch p is NULL, in the true branch it is not
  // (`if (t) Acquire(...); ... if (t) Release(...);` takes both or neither).
  const target = stripParens(node);
  const outs = fork(st);
  if (target.type === 'identifier' && isLocal(st, target.text)) {
    writeVar(outs[0].st, target.text, NONZERO);
    writeVar(outs[1].st, target.text, NULL_VAL);
  }
  return outs;
}

function evalEquality(ctx: Ctx, st: PathState, op: string, left: Node, right: Node, site: Site | undefined, depth: number): CondOutcome[] {
  const out: CondOutcome[] = [];
  for (const l of evalExpr(ctx, st, left, site, depth + 1)) {
    for (const r of evalExpr(ctx, l.st, right, site, depth + 1)) {
      const eq = compareValues(l.v, r.v);
      if (eq !== undefined) {
        out.push({ st: r.st, b: op === '==' ? eq : !eq, learned: true });
        continue;
      }
      const both = fork(r.st);
      // Learn NULL-ness of a compared local: `p == NULL` true → p is NULL.
      learnNull(both, op, stripParens(left), r.v);
      learnNull(both, op, stripParens(right), l.v);
      learnStatus(both, op, stripParens(left), l.v, r.v);
      learnStatus(both, op, stripParens(right), r.v, l.v);
      // The simulator's "everything succeeds" path takes the branch where a pointer is not NULL.
      const nullTest = nullish(l.v) === true || nullish(r.v) === true;
      if (ctx.forkMode === 'success' && nullTest && op === '==') both.reverse();
      out.push(...both);
    }
  }
  return out;
}

function learnNull(outs: CondOutcome[], op: string, target: Node, other: Val): void {
  if (target.type !== 'identifier' || !(other.k === 'null' || (other.k === 'int' && other.v === 0))) return;
  const [nullBranch, otherBranch] = op === '==' ? outs : [outs[1], outs[0]];
  if (readVar(otherBranch.st, target.text).k === 'unknown') writeVar(otherBranch.st, target.text, NONZERO);
  writeVar(nullBranch.st, target.text, NULL_VAL);
}

function compareValues(a: Val, b: Val): boolean | undefined {
  if (a.k === 'status' && b.k === 'status') {
    if (a.site.line >= 0 && b.site.line >= 0) return undefined;
    const open = a.any ? a : b.any ? b : undefined;
    // A call that failed with "any failure" may have failed with the named one, never succeeded.
    if (open) return mayFailWith(open === a ? b.name : a.name) ? undefined : false;
    return a.name === b.name;
  }
  const na = nullish(a);
  const nb = nullish(b);
  if (na !== undefined && nb !== undefined) {
    if (na && nb) return true;
    if ((na && b.k === 'obj') || (nb && a.k === 'obj')) return false;
    if ((na && b.k === 'addr') || (nb && a.k === 'addr')) return false;
    if ((na && b.k === 'nonzero') || (nb && a.k === 'nonzero')) return false;
  }
  if (a.k === 'int' && b.k === 'int') return a.v === b.v;
  if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
  if (a.k === 'bool' && b.k === 'int') return (a.v ? 1 : 0) === b.v;
  if (a.k === 'int' && b.k === 'bool') return (b.v ? 1 : 0) === a.v;
  if (a.k === 'status' && b.k === 'int') return b.v === 0 ? a.name === 'STATUS_SUCCESS' : undefined;
  if (a.k === 'int' && b.k === 'status') return a.v === 0 ? b.name === 'STATUS_SUCCESS' : undefined;
  return undefined;
}

/** Whether a call that failed (NT_SUCCESS false) may have returned this status. */
export function mayFailWith(name: string): boolean {
  const cls = statusClass(name);
  return cls === 'error' || cls === 'warning';
}

/** `status == STATUS_X` true (or `!=` false) on an any-failure status: from here on it is STATUS_X. */
function learnStatus(outs: CondOutcome[], op: string, target: Node, own: Val, other: Val): void {
  if (target.type !== 'identifier' || own.k !== 'status' || !own.any || other.k !== 'status') return;
  const equalBranch = op === '==' ? outs[0] : outs[1];
  writeVar(equalBranch.st, target.text, { k: 'status', name: other.name, routine: own.routine, site: own.site });
}

function nullish(v: Val): boolean | undefined {
  if (v.k === 'null') return true;
  if (v.k === 'int') return v.v === 0;
  if (v.k === 'obj' || v.k === 'addr' || v.k === 'nonzero') return false;
  return undefined;
}

const MIRROR: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

/** `status < 0`, `status >= STATUS_SUCCESS`, `0 <= status`: the signed NTSTATUS idioms. */
function evalStatusOrdering(ctx: Ctx, st: PathState, op: string, left: Node, right: Node, site: Site | undefined, depth: number): CondOutcome[] {
  const out: CondOutcome[] = [];
  for (const l0 of evalExpr(ctx, st, left, site, depth + 1)) {
    for (const r0 of evalExpr(ctx, l0.st, right, site, depth + 1)) {
      // `0 <= status` is `status >= 0`: put the status on the left.
      const swap = r0.v.k === 'status' && r0.v.site.line >= 0 && l0.v.k !== 'status';
      const l = swap ? { st: r0.st, v: r0.v } : l0;
      const r = swap ? { st: r0.st, v: l0.v } : r0;
      const o = swap ? MIRROR[op] : op;
      const ints = [intOf(l.v), intOf(r.v)];
      if (ints[0] !== undefined && ints[1] !== undefined) {
        out.push({ st: r.st, b: compareInts(o, ints[0], ints[1]), learned: true });
        continue;
      }
      const status = l.v.k === 'status' ? l.v : undefined;
      const zero = (r.v.k === 'int' && r.v.v === 0) || (r.v.k === 'status' && r.v.name === 'STATUS_SUCCESS');
      const cls = status ? statusClass(status.name) : undefined;
      if (status && zero && cls) {
        const negative = cls === 'error' || cls === 'warning';
        const b = o === '<' ? negative : o === '>=' ? !negative : o === '>' ? !negative && status.name !== 'STATUS_SUCCESS' : negative || status.name === 'STATUS_SUCCESS';
        out.push({ st: r.st, b, learned: true });
      } else {
        out.push(...fork(r.st));
      }
    }
  }
  return out;
}

function compareInts(op: string, a: number, b: number): boolean {
  if (op === '<') return a < b;
  if (op === '>') return a > b;
  if (op === '<=') return a <= b;
  return a >= b;
}
