/**
 * List membership and lookup (§1.3 "List membership and lookup") and the per-ECP marks
 * (§1.3 "Acknowledge / origin / reuse").
 *
 * Our own lists are closed: their contents are exactly what this path inserted, so a lookup that
 * misses is STATUS_NOT_FOUND even when the engine asks for success. Lists read from an in-flight
 * create are open: anything may be in them, so a lookup that misses the known members produces an
 * ECP someone else allocated (owner 'foreign'), unless the engine forces a failure.
 */
import type { CallOptions, CallResult, EcpContextObj, EcpListObj, Family, ObjId, SimValue, Site } from './types';
import { forcedFailure, forcedStatus, type KernelState } from './state';
import { CallRecorder, allocatedHere, resolveEcp, resolveList, useObject } from './guard';
import { foreignEcp } from './factory';
import { describe, outParamIndex, type KernelOp } from './names';

type LookupResult = CallResult & { out: ObjId | null };

export function insert(
  state: KernelState,
  family: Family,
  listValue: SimValue,
  ecpValue: SimValue,
  site: Site,
  opts: CallOptions | undefined,
): CallResult {
  const call = new CallRecorder(state, 'insert', family, site);
  if (ecpValue.kind === 'obj' && !state.ecp(ecpValue.id)) return insertForeignMemory(call, ecpValue.id, opts);
  const ecp = resolveEcp(state, ecpValue);
  const list = resolveList(state, listValue);
  const listAlive = !list || useObject(call, list);
  const ecpAlive = !ecp || useObject(call, ecp);
  if (!ecp || !listAlive || !ecpAlive) return call.result(forcedStatus(opts, 'STATUS_SUCCESS'));
  if (!list) return insertIntoUnseenList(call, listValue, ecp, opts);
  const duplicate = duplicateOf(state, list, ecp);
  if (duplicate) {
    reportDuplicate(call, list, ecp, duplicate);
    return call.result('STATUS_INVALID_PARAMETER'); // one ECP per GUID per list; success impossible
  }
  if (forcedFailure(opts)) return call.result(opts?.outcome ?? null);
  link(state, list, ecp, site);
  return call.result('STATUS_SUCCESS');
}

export function find(
  state: KernelState,
  family: Family,
  listValue: SimValue,
  ecpType: string,
  site: Site,
  opts: CallOptions | undefined,
): LookupResult {
  return lookup(new CallRecorder(state, 'find', family, site), listValue, ecpType, opts);
}

/** Unlinks the ECP; the caller owns it afterwards, whatever list it came from (§4.1 "Remove"). */
export function remove(
  state: KernelState,
  family: Family,
  listValue: SimValue,
  ecpType: string,
  site: Site,
  opts: CallOptions | undefined,
): LookupResult {
  return lookup(new CallRecorder(state, 'remove', family, site), listValue, ecpType, opts);
}

/**
 * Walks in insertion order (§1.3). On an open list past the known members, the first step
 * succeeds by default (a create never carries an empty list, §4.2 0x15); later steps end with
 * STATUS_NOT_FOUND unless the engine forces 'success'.
 */
export function getNext(
  state: KernelState,
  family: Family,
  listValue: SimValue,
  currentValue: SimValue,
  site: Site,
  opts: CallOptions | undefined,
): LookupResult {
  const call = new CallRecorder(state, 'getNext', family, site);
  const list = resolveList(state, listValue);
  const current = resolveEcp(state, currentValue);
  if (!list) return unseenListNext(call, listValue, opts);
  if (!useObject(call, list) || (current && !useObject(call, current))) return notFound(call, opts);
  const position = positionOf(list, currentValue, current);
  if (position === null) return notFound(call, opts);
  const next = list.members[position + 1];
  if (next !== undefined) return forcedFailure(opts) ? notFound(call, opts) : found(call, next);
  const wantsMore = opts?.outcome === 'success' || (opts?.outcome === undefined && position === -1);
  if (!state.isForeign(list.id) || !wantsMore) return notFound(call, opts);
  return found(call, adoptForeign(state, list, foreignEcp(state, list.family, '', 'foreign', site)).id);
}

export function acknowledge(state: KernelState, family: Family, value: SimValue, site: Site): CallResult {
  return withEcp(state, 'acknowledge', family, value, site, null, (ecp) => {
    ecp.acknowledged = true;
    return null;
  });
}

export function isAcknowledged(state: KernelState, family: Family, value: SimValue, site: Site): CallResult {
  return withEcp(state, 'isAcknowledged', family, value, site, 'FALSE', (ecp) => (ecp.acknowledged ? 'TRUE' : 'FALSE'));
}

export function isFromUserMode(state: KernelState, family: Family, value: SimValue, site: Site): CallResult {
  return withEcp(state, 'isFromUserMode', family, value, site, 'FALSE', (ecp) => (ecp.fromUserMode ? 'TRUE' : 'FALSE'));
}

/** Clears the acknowledged mark so the ECP can ride another create (§1.3, Win8+). */
export function prepareToReuse(state: KernelState, family: Family, value: SimValue, site: Site): CallResult {
  return withEcp(state, 'prepareToReuse', family, value, site, null, (ecp) => {
    ecp.acknowledged = false;
    return null;
  });
}

function withEcp(
  state: KernelState,
  op: KernelOp,
  family: Family,
  value: SimValue,
  site: Site,
  unknownStatus: string | null,
  apply: (ecp: EcpContextObj) => string | null,
): CallResult {
  const call = new CallRecorder(state, op, family, site);
  const ecp = resolveEcp(state, value);
  if (!ecp || !useObject(call, ecp)) return call.result(unknownStatus);
  return call.result(apply(ecp));
}

/** Shared body of find and remove. */
function lookup(call: CallRecorder, listValue: SimValue, ecpType: string, opts: CallOptions | undefined): LookupResult {
  const { state } = call;
  const list = resolveList(state, listValue);
  if (!list) return unseenListLookup(call, listValue, ecpType, opts);
  if (!useObject(call, list)) return notFound(call, opts);
  const member = memberOfType(state, list, ecpType);
  if (member && !forcedFailure(opts)) return found(call, call.op === 'remove' ? unlink(list, member).id : member.id);
  if (member || !state.isForeign(list.id) || forcedFailure(opts)) return notFound(call, opts);
  if (call.op === 'remove') return found(call, foreignEcp(state, list.family, ecpType, 'caller', call.site).id);
  return found(call, adoptForeign(state, list, foreignEcp(state, list.family, ecpType, 'foreign', call.site)).id);
}

/** NULL list: the routine cannot succeed. Unknown list: treat it as someone else's (open) list. */
function unseenListLookup(call: CallRecorder, listValue: SimValue, ecpType: string, opts: CallOptions | undefined): LookupResult {
  if (listValue.kind === 'null') return notFound(call, opts, 'STATUS_INVALID_PARAMETER');
  if (forcedFailure(opts)) return notFound(call, opts);
  const owner = call.op === 'remove' ? 'caller' : 'foreign';
  const ecp = foreignEcp(call.state, call.family, ecpType, owner, call.site);
  if (owner === 'foreign') ecp.state = 'inserted';
  return found(call, ecp.id);
}

function unseenListNext(call: CallRecorder, listValue: SimValue, opts: CallOptions | undefined): LookupResult {
  if (listValue.kind === 'null') return notFound(call, opts, 'STATUS_INVALID_PARAMETER'); // §5 #7
  if (opts?.outcome !== 'success') return notFound(call, opts);
  const ecp = foreignEcp(call.state, call.family, '', 'foreign', call.site);
  ecp.state = 'inserted';
  return found(call, ecp.id);
}

/** Index of `current` in the list: -1 for NULL (start), null when it is not a member. */
function positionOf(list: EcpListObj, currentValue: SimValue, current: EcpContextObj | undefined): number | null {
  if (currentValue.kind === 'null') return -1;
  if (!current) return list.members.length - 1; // unknown cursor: assume the walk is at its end
  const index = list.members.indexOf(current.id);
  return index < 0 ? null : index;
}

function found(call: CallRecorder, id: ObjId): LookupResult {
  const index = outParamIndex(call.op, call.family);
  return { ...call.result('STATUS_SUCCESS', { [index]: id }), out: id };
}

function notFound(call: CallRecorder, opts: CallOptions | undefined, fallback = 'STATUS_NOT_FOUND'): LookupResult {
  const index = outParamIndex(call.op, call.family);
  const status = forcedFailure(opts) ? forcedStatus(opts, fallback) : fallback;
  return { ...call.result(status, { [index]: null }), out: null };
}

/** A member with this GUID ('' = unknown GUID: the first member, as the best guess). */
function memberOfType(state: KernelState, list: EcpListObj, ecpType: string): EcpContextObj | undefined {
  for (const id of list.members) {
    const ecp = state.ecp(id);
    if (!ecp || ecp.state === 'freed') continue;
    if (ecpType === '' || ecp.ecpType === ecpType) return ecp;
  }
  return undefined;
}

function duplicateOf(state: KernelState, list: EcpListObj, ecp: EcpContextObj): EcpContextObj | undefined {
  if (list.members.includes(ecp.id)) return ecp;
  return ecp.ecpType === '' ? undefined : memberOfType(state, list, ecp.ecpType);
}

/** Inserted at the tail (§1.3); the list owns the ECP from now on (§4.1 "Insert OK"). */
function link(state: KernelState, list: EcpListObj, ecp: EcpContextObj, site: Site): void {
  const previous = ecp.list === null ? undefined : state.list(ecp.list);
  if (previous) previous.members = previous.members.filter((id) => id !== ecp.id);
  list.members.push(ecp.id);
  ecp.state = 'inserted';
  ecp.list = list.id;
  ecp.owner = 'list';
  state.note(ecp.id).insertedAt = site;
}

function unlink(list: EcpListObj, ecp: EcpContextObj): EcpContextObj {
  list.members = list.members.filter((id) => id !== ecp.id);
  ecp.state = 'allocated';
  ecp.list = null;
  ecp.owner = 'caller';
  return ecp;
}

function adoptForeign(state: KernelState, list: EcpListObj, ecp: EcpContextObj): EcpContextObj {
  list.members.push(ecp.id);
  ecp.state = 'inserted';
  ecp.list = list.id;
  state.note(ecp.id).insertedAt = ecp.site;
  return ecp;
}

/** The list is not visible to the engine: the ECP is handed off into it (escaped) on success. */
function insertIntoUnseenList(call: CallRecorder, listValue: SimValue, ecp: EcpContextObj, opts: CallOptions | undefined): CallResult {
  if (listValue.kind === 'null') return call.result(forcedStatus(opts, 'STATUS_SUCCESS'));
  const name = opts?.unseenList;
  const earlier = name ? insertedUnder(call.state, name, ecp) : undefined;
  if (earlier) {
    reportDuplicate(call, null, ecp, earlier);
    return call.result('STATUS_INVALID_PARAMETER'); // this path put one of that type there itself
  }
  if (forcedFailure(opts)) return call.result(opts?.outcome ?? null);
  ecp.state = 'inserted';
  ecp.owner = 'escaped';
  const note = call.state.note(ecp.id);
  note.insertedAt = call.site;
  if (name) note.unseenList = name;
  return call.result('STATUS_SUCCESS');
}

/** An ECP of the same (known) type this path inserted into the unseen list `name`, still there. */
function insertedUnder(state: KernelState, name: string, ecp: EcpContextObj): EcpContextObj | undefined {
  for (const [id, note] of state.notes) {
    if (note.unseenList !== name) continue;
    const other = state.ecp(id);
    if (!other || other.state !== 'inserted') continue;
    if (other.id === ecp.id || (ecp.ecpType !== '' && other.ecpType === ecp.ecpType)) return other;
  }
  return undefined;
}

/** §4.3 ECP029: only memory from an ECP allocator may be inserted. */
function insertForeignMemory(call: CallRecorder, id: ObjId, opts: CallOptions | undefined): CallResult {
  const obj = call.state.objects.get(id);
  call.report(
    'insert-foreign-memory',
    [id],
    `${call.routine} is given ${obj ? describe(obj) : 'memory'} that no ECP allocator produced; only ECP contexts can be inserted.`,
    obj ? [allocatedHere(obj, call.state)] : [],
    {
      code: '0x10C',
      name: 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION',
      subcode: '0x3',
      meaning: 'The ECP was not allocated by FsRtl.',
    },
  );
  return call.result(forcedStatus(opts, 'STATUS_SUCCESS'));
}

function reportDuplicate(call: CallRecorder, list: EcpListObj | null, ecp: EcpContextObj, existing: EcpContextObj): void {
  const insertedAt = call.state.notes.get(existing.id)?.insertedAt ?? existing.site;
  const same = existing.id === ecp.id;
  call.report(
    'duplicate-type',
    [ecp.id, ...(list ? [list.id] : []), ...(same ? [] : [existing.id])],
    same
      ? `${call.routine} inserts ${describe(ecp)} into a list that already holds it; the insert fails with STATUS_INVALID_PARAMETER.`
      : `${call.routine} fails with STATUS_INVALID_PARAMETER: the list already holds an ECP of type ${ecp.ecpType}; the rejected ECP is still yours to free.`,
    [
      { site: insertedAt, message: `an ECP of type ${existing.ecpType || '(unknown)'} was inserted here` },
      allocatedHere(ecp, call.state),
    ],
  );
}
