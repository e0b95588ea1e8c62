/**
 * Maps each catalog routine onto the simulated kernel: which argument is the list, the ECP, the
 * flags..., which outcomes the engine explores, and how results flow back into variables.
 */
import type { Node } from '../parsing/parser';
import type { Site, CallResult, CallOptions, Family, CreateSource, SimValue } from '../kernel/types';
import type { RoutineInfo, ParamRole } from '../catalog/types';
import type { Ctx } from './context';
import { type PathState, addStep, isLocal, recordOrigin, varType } from './state';
import { type Val, UNKNOWN, NONZERO } from './values';
import { paramIndex, forkedFailures } from './catalogAccess';
import { constantValue, tagText } from './constants';
import { stripParens, toSimValue, driverContextName } from './expr';
import { reportNullUse, reportFreeNull, crashHere } from './uses';
import { reportViolations, writeOut, nameScope } from './calls';
import { statusTested } from './statusUse';
import { noteWalkType, namedVariable } from './walkTypes';
import { isPrivateLocalField } from './localAggregates';
import { unseenListName } from './unseenLists';

/** 'explore': every documented outcome; 'success': all calls succeed; 'faults': the fault plan decides. */
export type ForkMode = 'explore' | 'success' | 'faults';

interface Call {
  ctx: Ctx;
  st: PathState;
  routine: RoutineInfo;
  args: Node[];
  vals: Val[];
  site: Site;
  family: Family;
}

function arg(c: Call, role: ParamRole): { node: Node | undefined; val: Val } {
  const i = paramIndex(c.routine, role);
  return i < 0 ? { node: undefined, val: UNKNOWN } : { node: c.args[i], val: c.vals[i] ?? UNKNOWN };
}

/**
 * Routines that dereference the list or ECP they are given: NULL there is a certain crash. The
 * acknowledge, origin and reuse routines read or write the header in front of the context;
 * get-next reads the list's links (§5 #7: not checked for NULL).
 */
const DEREFERENCING = new Set(['insert', 'find', 'remove', 'freeList', 'freeEcp', 'getNext', 'acknowledge', 'isAcknowledged', 'prepareToReuse', 'isFromUserMode']);

/**
 * Where a plain NULL (one the function's own code left) is ecp-free-null: the routines that reach
 * through the pointer they take `_In_` — the frees, insert, find and remove (the list's links), and
 * the acknowledge, user-mode and reuse routines (the header in front of the context). Get-next is
 * not one: its documentation promises STATUS_INVALID_PARAMETER for a NULL list (§5 #7), so a crash
 * there is not certain; nor is set-into, which takes no documented NULL behaviour either way.
 */
const NULL_CRASHES = new Set(['freeList', 'freeEcp', 'insert', 'find', 'remove', 'acknowledge', 'isAcknowledged', 'prepareToReuse', 'isFromUserMode']);

function sim(c: Call, role: ParamRole): SimValue {
  const a = arg(c, role);
  if (a.node && reportNullUse(c.ctx, c.st, a.val, c.site, a.node.text.trim(), true) && DEREFERENCING.has(c.routine.op)) {
    crashHere(c.st, c.site, `${c.routine.name} dereferences the NULL ${role === 'list' ? 'list' : 'ECP'}: the path ends in a crash`);
  } else if (a.node && NULL_CRASHES.has(c.routine.op)) {
    reportFreeNull(c.ctx, c.st, a.val, c.site, c.routine.name, a.node.text.trim(), role === 'list' ? 'list' : 'ECP');
  }
  return toSimValue(a.val);
}

function intArg(c: Call, role: ParamRole): number | undefined {
  const a = arg(c, role);
  if (a.val.k === 'int') return a.val.v;
  return a.node ? constantValue(c.ctx.model, a.node, nameScope(c.ctx, c.st)) : undefined;
}

/** Pool tag as PoolMon shows it: a C literal 'xpcE' is stored little-endian and reads "Ecpx". */
function tagArg(c: Call, role: ParamRole): string | undefined {
  const v = intArg(c, role);
  if (v === undefined) return undefined;
  return [...tagText(v)].reverse().join('');
}

/** An argument written as `&NAME`, `(LPCGUID)&NAME` or `NAME`, as a name. */
function nameArg(c: Call, role: ParamRole): string {
  const a = arg(c, role);
  return a.node ? driverContextName(a.node) : '';
}

/**
 * An ECP type is known only when it names a GUID the file or the system defines (`&GUID_X`);
 * a parameter, a local or an array element could be any type.
 */
function guidArg(c: Call): string {
  const a = arg(c, 'ecp-type');
  return a.node ? guidNameOf(c.st, a.node) : '';
}

/**
 * The GUID an argument names (`&GUID_X`, `GUID_X`, `(LPCGUID)&GUID_X`), or '' when it could be any
 * type. A parameter of a called helper names the GUID its caller passed (`AddEcp(list, &GUID_X)`
 * then `FltAllocateExtraCreateParameter(..., Type, ...)` inside it): `inlineCall` records it.
 */
export function guidNameOf(st: PathState, node: Node): string {
  let n = stripParens(node);
  if (n.type === 'pointer_expression' && n.childForFieldName('argument')) n = stripParens(n.childForFieldName('argument')!);
  if (n.type !== 'identifier') return '';
  if (!isLocal(st, n.text)) return n.text;
  return varType(st, `@guid:${n.text}`) ?? '';
}

function cleanupArg(c: Call): string | null {
  const a = arg(c, 'cleanup-callback');
  if (!a.node) return null;
  const n = stripParens(a.node);
  return n.type === 'null' || n.text === 'NULL' || n.text === '0' ? null : n.text;
}

function createSource(c: Call): CreateSource {
  const data = arg(c, 'callback-data');
  if (data.node) return { kind: 'callback-data', name: driverContextName(data.node) };
  return { kind: 'irp', name: nameArg(c, 'irp') };
}

/** The outcomes to explore for one call on this path. */
export function outcomesFor(ctx: Ctx, st: PathState, routine: RoutineInfo, vals: Val[], call?: Node): (string | undefined)[] {
  const mode = ctx.forkMode ?? 'explore';
  if (mode === 'faults') return [undefined];
  if (routine.returnType === 'VOID') return [undefined];
  if (mode === 'success') return routine.op === 'getListFromCreate' ? ['success'] : ['success'];
  const listVal = vals[paramIndex(routine, 'list')];
  const ownList = listVal?.k === 'obj' && ownerOf(st, listVal.id) === 'caller';
  // A list this path allocated and published through an out-parameter (`Allocate...List(F, 0, Out)`
  // then `Insert(F, *Out, ctx)`) is not its own, but it saw every insert: the kernel decides too.
  const knownList = ownList || (listVal?.k === 'obj' && publishedOnly(st, listVal.id));
  switch (routine.op) {
    case 'insert':
      // Into its own list the kernel decides (a duplicate type fails). When the code tests the
      // status, its error handling is explored too: it goes live the day another insert is added.
      if (!knownList) return ['success', 'STATUS_INVALID_PARAMETER'];
      return call && statusTested(call) ? [undefined, 'STATUS_INVALID_PARAMETER'] : [undefined];
    case 'find':
    case 'remove':
      return ownList ? [undefined] : ['success', 'STATUS_NOT_FOUND'];
    case 'getListFromCreate':
      return ['success', 'success-null', ...forkedFailures(routine)];
    case 'isFromUserMode': {
      // Only an ECP this code allocated is known not to come from user mode; one found in,
      // removed from or walked in a create's list may.
      const ecp = vals[paramIndex(routine, 'ecp')];
      const op = ecp?.k === 'obj' ? st.origins.get(ecp.id)?.op : undefined;
      const madeHere = op === 'allocateEcp' || op === 'allocateEcpFromLookaside';
      return madeHere ? [undefined] : ['TRUE', 'FALSE'];
    }
    case 'isAcknowledged':
      return [undefined];
    default: {
      const failures = forkedFailures(routine);
      return failures.length > 0 ? ['success', ...failures] : [undefined];
    }
  }
}

export function runRoutine(ctx: Ctx, st: PathState, routine: RoutineInfo, args: Node[], vals: Val[], site: Site, outcome: string | undefined): CallResult {
  const c: Call = { ctx, st, routine, args, vals, site, family: routine.family };
  const opts: CallOptions = outcome && outcome !== 'TRUE' && outcome !== 'FALSE' ? { outcome } : {};
  const result = dispatch(c, opts, outcome);
  writeScalarOuts(c, result.status);
  if (st.ended) return { ...result, violations: [] }; // crashed on its arguments
  reportViolations(ctx, st, result.violations);
  if (result.bugCheck) {
    st.ended = { site, bugCheck: true };
    addStep(st, site, `bug check ${result.bugCheck.code}/${result.bugCheck.subcode} here`);
  }
  if (result.status && result.status !== 'STATUS_SUCCESS' && result.status !== 'TRUE' && result.status !== 'FALSE') {
    const any = routine.returnCodes.some((r) => r.status === result.status && r.anyFailure);
    addStep(st, site, any ? `${routine.name} fails here (with any failure status, ${result.status} for example)` : `${routine.name} fails here with ${result.status}`);
  }
  if (routine.op === 'insert' && result.status && result.status !== 'STATUS_SUCCESS') reclaimRejected(c);
  return result;
}

/**
 * Out-parameters the kernel model does not produce (the context size, the next ECP's GUID, the
 * handle and file object of a create) are written by a routine that succeeds: a constant the
 * variable held before (`ULONG size = 0;`) no longer holds, or a later `if (size < sizeof(X))`
 * prunes the path. A handle or file object is then not NULL; a size or GUID is unknown. A failed
 * call leaves them as they were.
 */
const WRITTEN_SCALARS = new Set<ParamRole>(['context-size-out', 'ecp-type-out', 'other']);

function writeScalarOuts(c: Call, status: string | null): void {
  if (status !== null && status !== 'STATUS_SUCCESS') return;
  c.routine.params.forEach((p, i) => {
    if (p.direction === 'in' || !WRITTEN_SCALARS.has(p.role)) return;
    const v = c.vals[i];
    if (v?.k === 'addr') c.st.scopes[v.scope]?.vars.set(v.name, p.role === 'other' ? NONZERO : UNKNOWN);
  });
}

/** A rejected ECP published through an out-parameter is still this function's to free. */
function reclaimRejected(c: Call): void {
  const ecp = arg(c, 'ecp').val;
  const published = ecp.k === 'obj' ? c.st.origins.get(ecp.id)?.publishedAt : undefined;
  if (ecp.k !== 'obj' || !published) return;
  c.st.kernel.reclaim(ecp.id);
  addStep(c.st, published, 'published through an out-parameter here, which does not hand it off');
}

function dispatch(c: Call, opts: CallOptions, outcome: string | undefined): CallResult {
  const k = c.st.kernel;
  const f = c.family;
  switch (c.routine.op) {
    case 'allocateList':
      return produced(c, 'list-out', k.allocateList(f, intArg(c, 'list-flags'), c.site, opts));
    case 'freeList':
      forgetUnseen(c, '');
      return k.freeList(f, sim(c, 'list'), c.site);
    case 'allocateEcp':
      return produced(c, 'ecp-out', k.allocateEcp(f, { ecpType: guidArg(c), contextBytes: intArg(c, 'context-size'), flags: intArg(c, 'ecp-flags'), cleanup: cleanupArg(c), tag: tagArg(c, 'pool-tag') }, c.site, opts));
    case 'allocateEcpFromLookaside':
      return produced(c, 'ecp-out', k.allocateEcpFromLookaside(f, nameArg(c, 'lookaside'), { ecpType: guidArg(c), contextBytes: intArg(c, 'context-size'), flags: intArg(c, 'ecp-flags'), cleanup: cleanupArg(c) }, c.site, opts));
    case 'freeEcp':
      return k.freeEcp(f, sim(c, 'ecp'), c.site);
    case 'initLookaside':
      return k.initLookaside(f, nameArg(c, 'lookaside'), intArg(c, 'lookaside-flags'), intArg(c, 'lookaside-size'), tagArg(c, 'pool-tag'), c.site);
    case 'deleteLookaside':
      return k.deleteLookaside(f, nameArg(c, 'lookaside'), intArg(c, 'lookaside-flags'), c.site);
    case 'insert': {
      const unseenList = unseenListOf(c);
      return k.insert(f, sim(c, 'list'), sim(c, 'ecp'), c.site, unseenList ? { ...opts, unseenList } : opts);
    }
    case 'find':
      return produced(c, 'ecp-out', k.find(f, sim(c, 'list'), guidArg(c), c.site, opts));
    case 'remove':
      forgetUnseen(c, guidArg(c));
      return produced(c, 'ecp-out', k.remove(f, sim(c, 'list'), guidArg(c), c.site, opts));
    case 'getNext':
      return produced(c, 'ecp-out', k.getNext(f, sim(c, 'list'), toSimValue(arg(c, 'ecp-current').val), c.site, opts));
    case 'getListFromCreate':
      return produced(c, 'list-out', k.getListFromCreate(f, createSource(c), c.site, opts), outcome === 'success-null');
    case 'setListIntoCreate':
      return k.setListIntoCreate(f, createSource(c), sim(c, 'list'), c.site, opts);
    case 'acknowledge':
      return k.acknowledge(f, sim(c, 'ecp'), c.site);
    case 'isAcknowledged':
      return k.isAcknowledged(f, sim(c, 'ecp'), c.site);
    case 'prepareToReuse':
      return k.prepareToReuse(f, sim(c, 'ecp'), c.site);
    case 'isFromUserMode':
      return userModeCheck(c, outcome);
    case 'createFile':
      return createFile(c, opts);
    case 'initDriverCreateContext': {
      const name = nameArg(c, 'driver-create-context');
      if (name) k.initDriverCreateContext(name, c.site);
      return { status: null, outs: {}, violations: [] };
    }
    case 'openReparse': {
      // FltCopyOpenReparseList adds ECPs the engine does not model: the list's content is unknown.
      const list = arg(c, 'list').val;
      if (list.k === 'obj' && c.routine.name === 'FltCopyOpenReparseList') k.escape(list.id);
      return { status: c.routine.returnType === 'VOID' ? null : 'STATUS_SUCCESS', outs: {}, violations: [] };
    }
    default:
      return { status: c.routine.returnType === 'VOID' ? null : 'STATUS_SUCCESS', outs: {}, violations: [] };
  }
}

/** Writes the produced object (or NULL with the reason) into the out-parameter. */
function produced(c: Call, role: ParamRole, result: CallResult & { out: number | null }, nullList = false): CallResult {
  const { val: target, node } = arg(c, role);
  let value: Val;
  if (result.out !== null) {
    value = { k: 'obj', id: result.out };
    recordOrigin(c.st, result.out, c.routine.op, c.site);
    if (c.routine.op === 'getNext') noteWalkType(c.st, result.out, namedVariable(arg(c, 'ecp-type-out').node));
    if (c.routine.op === 'allocateEcp' || c.routine.op === 'allocateEcpFromLookaside') c.st.builtEcps |= 1 << c.st.callDepth;
  } else if (nullList) {
    value = { k: 'null', why: { kind: 'maybe-null-list', routine: c.routine.name, site: c.site } };
  } else if (result.status && result.status !== 'STATUS_SUCCESS') {
    value = { k: 'null', why: { kind: 'failed-call', routine: c.routine.name, site: c.site, status: result.status } };
  } else {
    value = { k: 'null' };
  }
  writeOut(c.st, target, value, target.k === 'addr' && isPrivateLocalField(c.ctx, c.st, target.name, node));
  return result;
}

function userModeCheck(c: Call, outcome: string | undefined): CallResult {
  const ecp = arg(c, 'ecp').val;
  if (ecp.k === 'obj') c.st.userModeChecked.add(ecp.id);
  const result = c.st.kernel.isFromUserMode(c.family, sim(c, 'ecp'), c.site);
  if (outcome === 'TRUE' || outcome === 'FALSE') return { ...result, status: outcome };
  return result;
}

function createFile(c: Call, opts: CallOptions): CallResult {
  const a = arg(c, 'driver-create-context');
  let name: string | null = null;
  if (a.node) {
    const n = stripParens(a.node);
    if (n.type === 'null' || n.text === 'NULL' || n.text === '0') name = null;
    else if (n.type === 'pointer_expression' || c.st.kernel.objects().some((o) => o.kind === 'driver-create-context' && o.name === driverContextName(n))) name = driverContextName(n);
    else return { status: opts.outcome && opts.outcome !== 'success' ? opts.outcome : 'STATUS_SUCCESS', outs: {}, violations: [] };
  }
  // Only the ECPs this function (or its helpers) built are expected at its own create.
  return c.st.kernel.createFile(c.family, name, (c.st.builtEcps & (1 << c.st.callDepth)) !== 0, c.site, opts);
}

/** A remove from, or free of, an unseen list: what this path inserted there may be gone. */
function forgetUnseen(c: Call, ecpType: string): void {
  const list = arg(c, 'list');
  if (list.val.k === 'obj') return;
  // Any other list expression (a field, an unbound parameter) could be that list: forget them all.
  c.st.kernel.forgetUnseenList(unseenListName(c.ctx, c.st, list.node) || null, ecpType);
}

/** An insert's list, when the engine cannot see into it: the name it is known by (see unseenLists.ts). */
function unseenListOf(c: Call): string | undefined {
  const list = arg(c, 'list');
  if (list.val.k === 'obj' || list.val.k === 'null') return undefined;
  return unseenListName(c.ctx, c.st, list.node) || undefined;
}

/**
 * A list allocated on this path that sits in an out-parameter's pointee (`@Out->*`, analyzeFunction
 * `LIST_OUT_PARAM`) and was never handed to unseen code: only the caller, after this function
 * returns, can reach it, so every member it holds was inserted on this path.
 */
function publishedOnly(st: PathState, id: number): boolean {
  if (st.origins.get(id)?.op !== 'allocateList' || !st.kernel.membersKnown(id)) return false;
  for (const [name, v] of st.scopes[0]?.vars ?? []) if (name.endsWith('->*') && v.k === 'obj' && v.id === id) return true;
  return false;
}

function ownerOf(st: PathState, id: number): string | undefined {
  const o = st.kernel.get(id);
  return o && (o.kind === 'ecp-list' || o.kind === 'ecp-context') ? o.owner : undefined;
}
