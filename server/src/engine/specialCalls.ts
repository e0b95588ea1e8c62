/** Kernel routines outside the ECP catalog that the engine models: IRQL changes, pool frees, harmless helpers. */

/** Raise IRQL to a level (the level the routine leaves the processor at). */
export const IRQL_RAISERS: Record<string, number> = {
  KeAcquireSpinLock: 2,
  KeAcquireSpinLockRaiseToDpc: 2,
  KeAcquireInStackQueuedSpinLock: 2,
  ExAcquireSpinLockExclusive: 2,
  ExAcquireSpinLockShared: 2,
  KeRaiseIrqlToDpcLevel: 2,
  ExAcquireFastMutex: 1,
  KeAcquireGuardedMutex: 1,
};

/** Routines that lower IRQL back (the engine restores the previous level). */
export const IRQL_LOWERERS = new Set([
  'KeReleaseSpinLock', 'KeReleaseInStackQueuedSpinLock', 'ExReleaseSpinLockExclusive', 'ExReleaseSpinLockShared',
  'KeLowerIrql', 'ExReleaseFastMutex', 'KeReleaseGuardedMutex',
]);

/** Pool frees that must never receive an ECP or an ECP list. */
export const POOL_FREES = new Set([
  'ExFreePool', 'ExFreePoolWithTag', 'ExFreePool2', 'ExFreeToNPagedLookasideList', 'ExFreeToPagedLookasideList',
  'ExFreeToLookasideListEx', 'FltFreePoolAlignedWithTag',
]);

/** Calls that read their pointer arguments but never keep them. */
export const NON_ESCAPING = new Set([
  'RtlZeroMemory', 'RtlSecureZeroMemory', 'RtlFillMemory', 'RtlCopyMemory', 'RtlMoveMemory', 'RtlCompareMemory', 'RtlEqualMemory',
  'memset', 'memcpy', 'memmove', 'memcmp', 'DbgPrint', 'DbgPrintEx', 'KdPrint', 'KdPrintEx',
  'UNREFERENCED_PARAMETER', 'PAGED_CODE', 'IsEqualGUID', 'InlineIsEqualGUID', 'RtlInitUnicodeString', 'InitializeObjectAttributes',
  'FlagOn', 'BooleanFlagOn', 'SetFlag', 'ClearFlag', 'TraceEvents', 'DoTraceMessage', 'RtlStringCbPrintfW', 'RtlStringCchPrintfW',
  'FltClose', 'ZwClose', 'ObDereferenceObject', 'FltObjectDereference', 'KeEnterCriticalRegion', 'KeLeaveCriticalRegion',
  'FsRtlEnterFileSystem', 'FsRtlExitFileSystem', 'KeQuerySystemTime', 'KeQuerySystemTimePrecise', 'FIELD_OFFSET', 'sizeof',
]);

/**
 * Status-check macros from shared headers the engine cannot read: `RETURN_IF_FAILED(status)`,
 * `IF_ERROR_GOTO(status, Exit)`, `LEAVE_IF_FAILED(status)`, `BAIL_ON_FAILURE(status)`... What they
 * do on failure is told by their name: return, goto the label among their arguments, __leave.
 */
export function isStatusMacro(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name) && /(FAIL|ERROR|NOT_SUCCESS|NT_FAILED|BAIL|CHECK_STATUS|IF_NOT_SUCCESS)/.test(name);
}

export type StatusMacroExit = 'return' | 'goto' | 'leave' | 'stop';

export function statusMacroExit(name: string): StatusMacroExit {
  if (/GOTO|JUMP/.test(name)) return 'goto';
  if (/LEAVE/.test(name)) return 'leave';
  if (/RETURN/.test(name)) return 'return';
  return /BAIL|EXIT/.test(name) ? 'goto' : 'stop';
}

export function isSpecialCallee(name: string): boolean {
  return name in IRQL_RAISERS || IRQL_LOWERERS.has(name) || POOL_FREES.has(name) || isStatusMacro(name) || name === 'IoInitializeDriverCreateContext';
}
