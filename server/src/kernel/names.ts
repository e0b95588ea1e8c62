/**
 * Routine names per family (the Flt ↔ FsRtl pairing of ecp-facts.md §1.1), out-parameter
 * positions, and short human descriptions of objects used in violation messages.
 */
import type { Family, KernelObj, Site } from './types';

export type KernelOp =
  | 'allocateList'
  | 'freeList'
  | 'allocateEcp'
  | 'freeEcp'
  | 'initLookaside'
  | 'deleteLookaside'
  | 'allocateEcpFromLookaside'
  | 'insert'
  | 'find'
  | 'remove'
  | 'getNext'
  | 'getListFromCreate'
  | 'setListIntoCreate'
  | 'acknowledge'
  | 'isAcknowledged'
  | 'isFromUserMode'
  | 'prepareToReuse'
  | 'createFile';

/** FsRtl names, and the FltMgr counterparts (same behaviour, leading Filter parameter). */
const FSRTL_NAMES: Record<KernelOp, string> = {
  allocateList: 'FsRtlAllocateExtraCreateParameterList',
  freeList: 'FsRtlFreeExtraCreateParameterList',
  allocateEcp: 'FsRtlAllocateExtraCreateParameter',
  freeEcp: 'FsRtlFreeExtraCreateParameter',
  initLookaside: 'FsRtlInitExtraCreateParameterLookasideList',
  deleteLookaside: 'FsRtlDeleteExtraCreateParameterLookasideList',
  allocateEcpFromLookaside: 'FsRtlAllocateExtraCreateParameterFromLookasideList',
  insert: 'FsRtlInsertExtraCreateParameter',
  find: 'FsRtlFindExtraCreateParameter',
  remove: 'FsRtlRemoveExtraCreateParameter',
  getNext: 'FsRtlGetNextExtraCreateParameter',
  getListFromCreate: 'FsRtlGetEcpListFromIrp',
  setListIntoCreate: 'FsRtlSetEcpListIntoIrp',
  acknowledge: 'FsRtlAcknowledgeEcp',
  isAcknowledged: 'FsRtlIsEcpAcknowledged',
  isFromUserMode: 'FsRtlIsEcpFromUserMode',
  prepareToReuse: 'FsRtlPrepareToReuseEcp',
  createFile: 'IoCreateFileEx',
};

const FLT_NAMES: Record<KernelOp, string> = {
  allocateList: 'FltAllocateExtraCreateParameterList',
  freeList: 'FltFreeExtraCreateParameterList',
  allocateEcp: 'FltAllocateExtraCreateParameter',
  freeEcp: 'FltFreeExtraCreateParameter',
  initLookaside: 'FltInitExtraCreateParameterLookasideList',
  deleteLookaside: 'FltDeleteExtraCreateParameterLookasideList',
  allocateEcpFromLookaside: 'FltAllocateExtraCreateParameterFromLookasideList',
  insert: 'FltInsertExtraCreateParameter',
  find: 'FltFindExtraCreateParameter',
  remove: 'FltRemoveExtraCreateParameter',
  getNext: 'FltGetNextExtraCreateParameter',
  getListFromCreate: 'FltGetEcpListFromCallbackData',
  setListIntoCreate: 'FltSetEcpListIntoCallbackData',
  acknowledge: 'FltAcknowledgeEcp',
  isAcknowledged: 'FltIsEcpAcknowledged',
  isFromUserMode: 'FltIsEcpFromUserMode',
  prepareToReuse: 'FltPrepareToReuseEcp',
  createFile: 'FltCreateFileEx2',
};

/** The undocumented Io* list accessors the FsRtl ones wrap (§1.3, attaching a list). */
const IO_OVERRIDES: Partial<Record<KernelOp, string>> = {
  getListFromCreate: 'IoGetIrpExtraCreateParameter',
  setListIntoCreate: 'IoSetIrpExtraCreateParameter',
};

export function routineName(op: KernelOp, family: Family): string {
  if (family === 'flt') return FLT_NAMES[op];
  if (family === 'io') return IO_OVERRIDES[op] ?? FSRTL_NAMES[op];
  return FSRTL_NAMES[op];
}

/** Position of the out-parameter in the FsRtl prototype (§1.2); Flt adds a leading Filter. */
const FSRTL_OUT_INDEX: Partial<Record<KernelOp, number>> = {
  allocateList: 1,
  allocateEcp: 5,
  allocateEcpFromLookaside: 5,
  find: 2,
  remove: 2,
  getNext: 3,
  getListFromCreate: 1,
};

export function outParamIndex(op: KernelOp, family: Family): number {
  const base = FSRTL_OUT_INDEX[op] ?? 0;
  return family === 'flt' ? base + 1 : base;
}

/** FsRtl and Io objects are interchangeable; Flt objects belong to FltMgr (§5 #5). */
export function familyGroup(family: Family): 'flt' | 'fsrtl' {
  return family === 'flt' ? 'flt' : 'fsrtl';
}

export function familiesMix(a: Family, b: Family): boolean {
  return familyGroup(a) !== familyGroup(b);
}

export function familyLabel(family: Family): string {
  return family === 'flt' ? 'Flt*' : 'FsRtl*';
}

export const IRQL_NAMES = ['PASSIVE_LEVEL', 'APC_LEVEL', 'DISPATCH_LEVEL'];

export function irqlName(level: number): string {
  return IRQL_NAMES[level] ?? `IRQL ${level}`;
}

/** 1-based line of a 0-based site, as users read it. */
export function lineOf(site: Site): number {
  return site.line + 1;
}

/** "ECP list from line 12", "ECP context GUID_X from line 14", used inside messages. */
export function describe(obj: KernelObj): string {
  const where = `line ${lineOf(obj.site)}`;
  switch (obj.kind) {
    case 'ecp-list':
      return `ECP list from ${where}`;
    case 'ecp-context':
      return `ECP context ${obj.ecpType || '(unknown type)'} from ${where}`;
    case 'lookaside':
      return `ECP lookaside list '${obj.name}'`;
    case 'driver-create-context':
      return `driver create context '${obj.name}'`;
  }
}

export function hex(value: number): string {
  return '0x' + value.toString(16).toUpperCase();
}
