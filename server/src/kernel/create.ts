/**
 * Lists travelling with creates: reading / attaching the list of an in-flight create (§1.3
 * "Attaching a list to a create"), the IO_DRIVER_CREATE_CONTEXT a driver fills (§2.3), and the
 * create it issues with it (§1.3 "Create routines", §4.1, §4.2 subcode 0x15).
 */
import type {
  BugCheck,
  CallOptions,
  CallResult,
  CreateSource,
  DriverCreateContextObj,
  EcpListObj,
  Family,
  ObjId,
  SimValue,
  Site,
} from './types';
import { forcedFailure, forcedStatus, type KernelState } from './state';
import { CallRecorder, allocatedHere, freedHere, resolveList, useObject } from './guard';
import { foreignList } from './factory';
import { describe, lineOf, outParamIndex } from './names';

type ListResult = CallResult & { out: ObjId | null };

function sourceKey(source: CreateSource): string {
  return `${source.kind}:${source.name}`;
}

/**
 * Success may legitimately yield NULL (§1.3; TEST saw NULL for an ordinary open). Outcomes:
 * 'success-null' → NULL; 'success' → the source's list (a foreign one if none is known yet);
 * a failure status (STATUS_INVALID_PARAMETER: not a create) → NULL. Without an outcome the answer
 * stays consistent with earlier calls on the same source, and defaults to a foreign list.
 */
export function getListFromCreate(
  state: KernelState,
  family: Family,
  source: CreateSource,
  site: Site,
  opts: CallOptions | undefined,
): ListResult {
  const call = new CallRecorder(state, 'getListFromCreate', family, site);
  const index = outParamIndex('getListFromCreate', family);
  const reply = (status: string, id: ObjId | null): ListResult => ({ ...call.result(status, { [index]: id }), out: id });
  const key = sourceKey(source);
  if (forcedFailure(opts)) return reply(opts?.outcome ?? 'STATUS_INVALID_PARAMETER', null);
  if (opts?.outcome === 'success-null') {
    if (!state.createSources.has(key)) state.createSources.set(key, null);
    return reply('STATUS_SUCCESS', null);
  }
  const known = state.createSources.get(key);
  if (known !== undefined && (known !== null || opts?.outcome === undefined)) return reply('STATUS_SUCCESS', known);
  const list = foreignList(state, family, source, site);
  state.createSources.set(key, list.id);
  return reply('STATUS_SUCCESS', list.id);
}

/**
 * On success the create owns the list and every ECP in it; the I/O manager frees them when the
 * create completes (§4.1). A source that already carries a list refuses a second one (§1.3;
 * FltMgr documents _3, the FsRtl/Io path returns _2 per §5 #6). On failure the caller keeps it.
 */
export function setListIntoCreate(
  state: KernelState,
  family: Family,
  source: CreateSource,
  value: SimValue,
  site: Site,
  opts: CallOptions | undefined,
): CallResult {
  const call = new CallRecorder(state, 'setListIntoCreate', family, site);
  const list = resolveList(state, value);
  if (!list) return call.result(forcedStatus(opts, 'STATUS_SUCCESS'));
  if (!useObject(call, list)) return call.result(forcedStatus(opts, 'STATUS_SUCCESS'));
  if (forcedFailure(opts)) return call.result(opts?.outcome ?? null);
  const key = sourceKey(source);
  const carried = state.createSources.get(key);
  if (opts?.outcome === undefined && carried != null && carried !== list.id) {
    return call.result(family === 'flt' ? 'STATUS_INVALID_PARAMETER_3' : 'STATUS_INVALID_PARAMETER_2');
  }
  handToCreate(state, list, source, site);
  state.createSources.set(key, list.id);
  return call.result('STATUS_SUCCESS');
}

function handToCreate(state: KernelState, list: EcpListObj, source: CreateSource, site: Site): void {
  list.owner = 'create';
  list.attachedTo = { kind: source.kind, name: source.name };
  state.note(list.id).attachedAt = site;
  for (const id of list.members) {
    const ecp = state.ecp(id);
    if (ecp && ecp.state !== 'freed') ecp.owner = 'create';
  }
}

/** IoInitializeDriverCreateContext zeroes the structure, then sets Size (§1.3, §2.3). */
export function initDriverCreateContext(state: KernelState, name: string, site: Site): ObjId {
  const context = state.driverContext(name) ?? newDriverContext(state, name, site);
  context.initialized = true;
  context.extraCreateParameter = null;
  context.deviceObjectHintSet = false;
  return context.id;
}

export function setExtraCreateParameter(state: KernelState, name: string, value: SimValue, site: Site): void {
  const context = state.driverContext(name) ?? newDriverContext(state, name, site);
  if (value.kind === 'obj') context.extraCreateParameter = value.id;
  else if (value.kind === 'null') context.extraCreateParameter = null;
  else context.extraCreateParameter = 'unknown';
  state.note(context.id).setAt = site;
}

export function setDeviceObjectHint(state: KernelState, name: string, site: Site): void {
  const context = state.driverContext(name) ?? newDriverContext(state, name, site);
  context.deviceObjectHintSet = true;
}

function newDriverContext(state: KernelState, name: string, site: Site): DriverCreateContextObj {
  const context = state.add<DriverCreateContextObj>({
    id: state.newId(),
    kind: 'driver-create-context',
    name,
    initialized: false,
    extraCreateParameter: null,
    deviceObjectHintSet: false,
    site,
  });
  state.contextByName.set(name, context.id);
  return context;
}

const EMPTY_LIST_BUG_CHECK: BugCheck = {
  code: '0x10C',
  name: 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION',
  subcode: '0x15',
  meaning: 'The ECP list passed by the create caller is empty.',
};

/**
 * FltCreateFileEx2 / IoCreateFileEx. The caller's list comes back unchanged and stays the
 * caller's to free; acknowledgement marks persist (§4.1). Failure outcomes change no ownership.
 */
export function createFile(
  state: KernelState,
  family: Family,
  contextName: string | null,
  builtEcps: boolean,
  site: Site,
  opts: CallOptions | undefined,
): CallResult {
  const call = new CallRecorder(state, 'createFile', family, site);
  const context = contextName === null ? undefined : state.driverContext(contextName);
  if (contextName !== null && !context?.initialized) reportUninitialized(call, contextName, context);
  const listId = context?.extraCreateParameter;
  if (builtEcps && (listId === undefined || listId === null) && heldEcps(state).length > 0) reportListUnset(call, contextName, context);
  const list = typeof listId === 'number' ? state.list(listId) : undefined;
  if (list && list.state === 'freed') reportListDead(call, list, context);
  else if (list && list.members.length === 0 && list.owner === 'caller') {
    reportEmptyList(call, list, context);
    return call.result(null);
  }
  return call.result(forcedStatus(opts, 'STATUS_SUCCESS'));
}

function setHere(call: CallRecorder, context: DriverCreateContextObj | undefined): { site: Site; message: string }[] {
  const setAt = context ? call.state.notes.get(context.id)?.setAt : undefined;
  return setAt ? [{ site: setAt, message: 'ExtraCreateParameter assigned here' }] : [];
}

function reportUninitialized(call: CallRecorder, name: string, context: DriverCreateContextObj | undefined): void {
  call.report(
    'create-context-uninitialized',
    context ? [context.id] : [],
    `${call.routine} receives driver create context '${name}' that IoInitializeDriverCreateContext never initialised (Size and SiloContext are not set).`,
    context ? [{ site: context.site, message: `'${name}' first used here` }] : [],
  );
}

/**
 * Lists this function built, still holds and put an ECP in: only those can be "built but never
 * attached" (leaving an empty list off the create is what ecp-empty-list asks for).
 */
function heldEcps(state: KernelState): EcpListObj[] {
  return [...state.objects.values()].filter((obj): obj is EcpListObj => obj.kind === 'ecp-list' && obj.owner === 'caller' && obj.state !== 'freed' && obj.members.length > 0);
}

function reportListUnset(call: CallRecorder, name: string | null, context: DriverCreateContextObj | undefined): void {
  const built = heldEcps(call.state);
  const what = name === null ? 'no driver create context' : `'${name}' with ExtraCreateParameter unset`;
  call.report(
    'create-context-list-unset',
    [...(context ? [context.id] : []), ...built.map((list) => list.id)],
    `${call.routine} is given ${what}, although this function built ECPs; they never reach the create.`,
    [
      ...(context ? [{ site: context.site, message: `'${context.name}' set up here` }] : []),
      ...built.map((list) => allocatedHere(list, call.state)),
    ],
  );
}

function reportListDead(call: CallRecorder, list: EcpListObj, context: DriverCreateContextObj | undefined): void {
  const when = list.freedAt ? ` at line ${lineOf(list.freedAt)}` : '';
  call.report(
    'create-context-list-dead',
    [list.id, ...(context ? [context.id] : [])],
    `${call.routine} is given ExtraCreateParameter pointing at ${describe(list)}, which was freed${when}.`,
    [...freedHere(list), ...setHere(call, context)],
  );
}

/** §4.2: IoCreateFileEx bug-checks 0x10C/0x15 on an empty caller list; the path ends here. */
function reportEmptyList(call: CallRecorder, list: EcpListObj, context: DriverCreateContextObj | undefined): void {
  call.report(
    'empty-list-create',
    [list.id, ...(context ? [context.id] : [])],
    `${call.routine} is given ${describe(list)} with no ECP in it: bug check 0x10C (FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION), subcode 0x15.`,
    [allocatedHere(list, call.state), ...setHere(call, context)],
    { ...EMPTY_LIST_BUG_CHECK },
  );
  call.stopMachine({ ...EMPTY_LIST_BUG_CHECK });
}
