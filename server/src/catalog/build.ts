/**
 * Small helpers that keep the catalog data files compact: parameter records whose direction and
 * optionality follow from the header's SAL annotation, shared header/library strings, URL builders
 * and the return-code shapes most ECP routines share.
 */
import type { FlagFamilyName, ParamInfo, ParamRole, ReturnCode } from './types';

/**
 * One parameter. Direction and optionality are read from the SAL annotation exactly as the header
 * writes it: `_Inout*` is inout, `_Out*` (including `_Outptr_*`) is out, everything else (also a
 * missing annotation) is in; `_opt_` anywhere makes it optional.
 */
export function param(
  name: string,
  type: string,
  sal: string,
  role: ParamRole,
  doc: string,
  flagFamily?: FlagFamilyName,
): ParamInfo {
  const direction = sal.startsWith('_Inout') ? 'inout' : sal.startsWith('_Out') ? 'out' : 'in';
  const info: ParamInfo = { name, type, sal, direction, optional: sal.includes('_opt_'), role, doc };
  if (flagFamily) info.flagFamily = flagFamily;
  return info;
}

export const FLT_HEADER = 'fltkernel.h (include FltKernel.h)';
export const FLT_LIB = 'FltMgr.lib (fltmgr.sys)';
export const NTIFS_HEADER = 'ntifs.h (include Ntifs.h or FltKernel.h)';
export const NTDDK_HEADER = 'ntddk.h (include Ntddk.h, Ntifs.h or FltKernel.h)';
export const NTOS_LIB = 'NtosKrnl.lib (ntoskrnl.exe)';

export const VISTA = 'Windows Vista';
export const WIN7 = 'Windows 7';
export const WIN8 = 'Windows 8';

const DDI = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi';

/** Official reference page of a function (`nf-`), structure (`ns-`) or callback (`nc-`). */
export function ddiUrl(header: 'fltkernel' | 'ntifs' | 'ntddk', kind: 'nf' | 'ns' | 'nc', slug: string): string {
  return `${DDI}/${header}/${kind}-${header}-${slug.toLowerCase()}`;
}

/** The conceptual "System-defined ECPs" page, for GUIDs that have no structure page of their own. */
export const SYSTEM_ECPS_URL = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ifs/system-defined-ecps';

export const OK: ReturnCode = { status: 'STATUS_SUCCESS', meaning: 'The call succeeded.' };

/** Success that writes the out-parameter. */
export function okSet(what: string): ReturnCode {
  return { status: 'STATUS_SUCCESS', meaning: what, outValue: 'set' };
}

/** The allocation failure every ECP allocator can report; the engine explores it. */
export function noMemory(outName: string): ReturnCode {
  return {
    status: 'STATUS_INSUFFICIENT_RESOURCES',
    meaning: `Pool (or quota) exhausted; *${outName} is NULL and nothing needs freeing.`,
    fork: true,
    outValue: 'null',
  };
}

/** Undocumented wrap-around failure of the ECP allocators (facts §5 #14). */
export const INTEGER_OVERFLOW: ReturnCode = {
  status: 'STATUS_INTEGER_OVERFLOW',
  meaning:
    'Not on the official page: returned when SizeOfContext plus the hidden 72-byte header wraps (SizeOfContext >= 0xFFFFFFB8 on x64).',
};

export const TRUE_FALSE = (whenTrue: string, whenFalse: string): ReturnCode[] => [
  { status: 'TRUE', meaning: whenTrue },
  { status: 'FALSE', meaning: whenFalse },
];
