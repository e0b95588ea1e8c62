/** A two-file project whose wrapper allocates only in its V2 build (CLI and protocol tests). */
import { tempTree } from './helpers';

/** A wrapper whose list allocation exists only in its V2 build, and a caller in another file. */
export const WRAP = `#include <fltKernel.h>
extern PFLT_FILTER gFilter;
NTSTATUS
WrapMakeList(_Out_ PECP_LIST *List)
{
#ifdef USE_LIST_V2
    return FltAllocateExtraCreateParameterList(gFilter, 0, List);
#else
    *List = NULL;
    return STATUS_NOT_SUPPORTED;
#endif
}
`;
export const CALLER = `#include <fltKernel.h>
NTSTATUS WrapMakeList(_Out_ PECP_LIST *List);
NTSTATUS
OpenWithList(VOID)
{
    PECP_LIST list = NULL;
    NTSTATUS status = WrapMakeList(&list);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    return STATUS_SUCCESS;
}
`;

/** The two files with a database that defines USE_LIST_V2 for the one named. */
export function wrapperProject(v2In: 'wrap.c' | 'caller.c'): string {
  const entry = (file: string) => ({ directory: '.', file, arguments: ['cl.exe', ...(file === v2In ? ['/DUSE_LIST_V2'] : []), file] });
  return tempTree({ 'wrap.c': WRAP, 'caller.c': CALLER, 'compile_commands.json': JSON.stringify([entry('wrap.c'), entry('caller.c')]) });
}

