/**
 * Text shared by the filter-manager (Flt*) and FsRtl* twins: the behaviour is the same, only the
 * routine names differ. Each builder takes the family's names so hover never points a reader at
 * the other family.
 */
import type { RoutineInfo } from './types';

export interface FamilyNames {
  allocList: string;
  freeList: string;
  allocEcp: string;
  allocFromLookaside: string;
  freeEcp: string;
  initLookaside: string;
  deleteLookaside: string;
  insert: string;
  find: string;
  remove: string;
  getNext: string;
  getList: string;
  setList: string;
  ack: string;
  isAck: string;
  reuse: string;
  fromUser: string;
  create: string;
}

const names = (p: 'Flt' | 'FsRtl', getList: string, setList: string, create: string): FamilyNames => ({
  allocList: `${p}AllocateExtraCreateParameterList`,
  freeList: `${p}FreeExtraCreateParameterList`,
  allocEcp: `${p}AllocateExtraCreateParameter`,
  allocFromLookaside: `${p}AllocateExtraCreateParameterFromLookasideList`,
  freeEcp: `${p}FreeExtraCreateParameter`,
  initLookaside: `${p}InitExtraCreateParameterLookasideList`,
  deleteLookaside: `${p}DeleteExtraCreateParameterLookasideList`,
  insert: `${p}InsertExtraCreateParameter`,
  find: `${p}FindExtraCreateParameter`,
  remove: `${p}RemoveExtraCreateParameter`,
  getNext: `${p}GetNextExtraCreateParameter`,
  getList,
  setList,
  ack: `${p}AcknowledgeEcp`,
  isAck: `${p}IsEcpAcknowledged`,
  reuse: `${p}PrepareToReuseEcp`,
  fromUser: `${p}IsEcpFromUserMode`,
  create,
});

export const FLT = names('Flt', 'FltGetEcpListFromCallbackData', 'FltSetEcpListIntoCallbackData', 'FltCreateFileEx2');
export const FSRTL = names('FsRtl', 'FsRtlGetEcpListFromIrp', 'FsRtlSetEcpListIntoIrp', 'IoCreateFileEx');

type Prose = Pick<RoutineInfo, 'summary' | 'ownership' | 'pitfalls'>;

export const allocListText = (n: FamilyNames): Prose => ({
  summary:
    'Allocates an empty ECP list from paged memory. Without a flag it comes from an internal lookaside; with FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA it comes from paged pool charged to the current process (a quota failure is reported, not raised).',
  ownership: `The caller owns the list until it is freed with ${n.freeList} or handed to a create with ${n.setList}. Passing it in IO_DRIVER_CREATE_CONTEXT to ${n.create} does not transfer it: free it afterwards.`,
  pitfalls: [
    'FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA is the only list flag; FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL (0x2) or any other bit is wrong here.',
    'Handing a list that is still empty to a create bug-checks (0x10C, subcode 0x15).',
  ],
});

export const freeListText = (n: FamilyNames): Prose => ({
  summary:
    'Frees an ECP list together with every ECP still in it. Each remaining ECP\'s cleanup callback runs synchronously, inside this call, before that ECP\'s memory is released.',
  ownership: `Releases the list and all its members. ECPs removed earlier with ${n.remove} are not in the list any more and stay with the caller.`,
  pitfalls: [
    `Never free a list after a successful ${n.setList}: the I/O manager owns it then and frees it when the create ends.`,
    'Never free a list obtained from a create in flight (callback data or IRP) — it is not yours.',
    'Any pointer to an ECP that was in the list dangles after this call.',
  ],
});

export const allocEcpText = (n: FamilyNames): Prose => ({
  summary:
    'Allocates one ECP context of SizeOfContext bytes tagged with EcpType. The memory is paged unless FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL is given; a hidden 72-byte (x64) header precedes the returned pointer. The context is NOT zeroed.',
  ownership: `The caller owns the ECP until ${n.insert} succeeds; after that the list owns it. Free an ECP that was never inserted (or was removed) with ${n.freeEcp}.`,
  pitfalls: [
    'Initialise every field of the context: the allocator leaves it uninitialised.',
    'Use FSRTL_ALLOCATE_ECP_FLAG_* constants; the ECPLIST and LOOKASIDE constants share values (0x1, 0x2) but belong to other families.',
    'The pointer is not the start of a pool block: never release it with ExFreePool*.',
    `An ECP added to a create's existing list during IRP_MJ_CREATE is freed by the I/O manager; do not free it with ${n.freeEcp}.`,
  ],
});

export const allocFromLookasideText = (n: FamilyNames): Prose => ({
  summary:
    `Takes an ECP context from an ECP lookaside list set up with ${n.initLookaside}. When SizeOfContext exceeds the list's entry size the ECP silently comes from pool instead (tagged with the list's tag). The ECP remembers where it came from.`,
  ownership: `Same as a pool ECP: the caller owns it until inserted. Release it with ${n.freeEcp}, which returns it to its lookaside; delete the lookaside only after every ECP from it is gone.`,
  pitfalls: [
    'Never return the ECP with ExFreeToPagedLookasideList/ExFreeToNPagedLookasideList: the pointer follows a hidden header.',
    'The NONPAGED bit in Flags should match the kind of lookaside (paged or non-paged) it was initialised as.',
    'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA is honoured only when the ECP falls back to pool.',
  ],
});

export const freeEcpText = (n: FamilyNames): Prose => ({
  summary:
    'Frees one ECP that is in no list. Its cleanup callback, if any, runs first and synchronously, with the context still readable; the memory then goes back to its lookaside or to pool.',
  ownership: `Releases the ECP. The ECP must not be in a list: take it out with ${n.remove} first, or let ${n.freeList} free it with the list.`,
  pitfalls: [
    'Freeing an ECP that is still in a list leaves a dangling entry (bug check 0x10C subcode 0x6, or list corruption 0x139 later).',
    'Do not free an ECP you added to a create\'s list during IRP_MJ_CREATE: the I/O manager frees it when the create ends.',
    'Free a rejected ECP after a failed insert — the list did not take it.',
  ],
});

export const initLookasideText = (n: FamilyNames): Prose => ({
  summary:
    'Initialises caller storage as a lookaside list of ECP contexts. Size is the context size of one entry in bytes (the routine adds the header); FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL selects non-paged entries.',
  ownership: `The caller owns the lookaside and must delete it with ${n.deleteLookaside}, using the same Flags, before the driver unloads and after every ECP taken from it has been freed.`,
  pitfalls: [
    'The storage must be a PAGED_LOOKASIDE_LIST or NPAGED_LOOKASIDE_LIST head that itself lives in non-paged memory (for example the device extension or a non-paged global).',
    'Size is bytes per entry, not a number of entries.',
    'Only FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL is valid here; FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL has the same value but another type.',
  ],
});

export const deleteLookasideText = (n: FamilyNames): Prose => ({
  summary: 'Tears down an ECP lookaside list. It does not free ECPs that are still allocated from it.',
  ownership: `Free every ECP taken from the list (with ${n.freeEcp} or through its list) before calling this; afterwards the storage may be reused or released.`,
  pitfalls: [
    `Flags must equal the Flags given to ${n.initLookaside}.`,
    'Forgetting this call before unload leaks the lookaside\'s pool (Driver Verifier: bug check 0xC4, subcode 0x62).',
  ],
});

export const insertText = (n: FamilyNames): Prose => ({
  summary:
    'Appends an ECP to a list. A list holds at most one ECP per GUID; a second ECP of the same type is refused. Enumeration order is insertion order.',
  ownership: `On success the list owns the ECP and frees it with the list. On failure the caller still owns it and must free it with ${n.freeEcp}.`,
  pitfalls: [
    'Check the status: STATUS_INVALID_PARAMETER (duplicate GUID) leaves the ECP with you — ignoring it leaks the ECP.',
    `On a list you did not create, ${n.find} first to see whether the type is already there.`,
    'Only memory returned by an ECP allocator can be inserted (not ExAllocatePool, stack or globals).',
  ],
});

export const findText = (n: FamilyNames): Prose => ({
  summary:
    'Looks up the ECP of a given type in a list. EcpContext may be NULL to test for presence only; the size returned excludes the hidden header.',
  ownership: `No transfer: the ECP stays in the list and is owned by whoever owns the list. Do not free what ${n.find} returns.`,
  pitfalls: [
    'On STATUS_NOT_FOUND the context pointer is NULL and the size 0: check the status before using them.',
    `An ECP found on a create's list may come from user mode: check ${n.fromUser} before trusting it.`,
  ],
});

export const removeText = (n: FamilyNames): Prose => ({
  summary: 'Unlinks the ECP of a given type from a list and returns it. It does not free it.',
  ownership: `After success the caller owns the ECP: free it with ${n.freeEcp} or insert it again.`,
  pitfalls: [
    'Removing and then dropping the pointer leaks the ECP.',
    `Never remove ECPs from the list of a ${n.create} caller or from a create in flight you did not build.`,
  ],
});

export const getNextText = (n: FamilyNames): Prose => ({
  summary:
    'Enumerates a list: CurrentEcpContext NULL returns the first ECP, otherwise the one after it. STATUS_NOT_FOUND marks the end (or an empty list). Every output is optional.',
  ownership: 'No transfer: enumerated ECPs stay in the list.',
  pitfalls: [
    'Never pass a NULL list: the official page promises an error, the implementation dereferences it.',
    `Do not remove or free ECPs while enumerating with the returned pointer as cursor; ${n.remove} invalidates it.`,
  ],
});

export const ackText = (n: FamilyNames): Prose => ({
  summary:
    'Marks an ECP as acknowledged: the receiving file system or filter uses the mark to tell the requester it saw and processed the ECP.',
  ownership: 'No transfer.',
  pitfalls: [`The mark survives the create; clear it with ${n.reuse} before sending the same ECP on another create.`],
});

export const isAckText = (n: FamilyNames): Prose => ({
  summary: `Tells whether an ECP has been acknowledged (${n.ack}). New ECPs are not acknowledged.`,
  ownership: 'No transfer.',
  pitfalls: ['After a create returns, read the output fields of a query-type ECP only when it is acknowledged.'],
});

export const fromUserText = (): Prose => ({
  summary: 'Tells whether an ECP originated in user mode. ECPs allocated in the kernel report FALSE.',
  ownership: 'No transfer.',
  pitfalls: ['Check it before making any security-relevant decision on an ECP (for example before honouring GUID_ECP_PREFETCH_OPEN).'],
});

export const reuseText = (n: FamilyNames): Prose => ({
  summary: 'Clears the acknowledged mark so the same ECP can travel on another create (for example when re-issuing after a reparse). Windows 8 and later.',
  ownership: 'No transfer.',
  pitfalls: [`Not available before Windows 8; ${n.isAck} returns FALSE after this call.`],
});
