/**
 * Names beyond `[A-Za-z_]\w*` across files: MSVC, GCC and Clang take `$` and non-ASCII letters in
 * identifiers, and a wrapper of another file with such a name is followed at its call like any
 * other (it was never merged: the names read from the caller's text were cut at `$` and `É`, so
 * the leak of the list it returns was missed).
 */
import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { run, tempTree } from './helpers';

const caller = (wrapper: string) => `#include <fltKernel.h>
NTSTATUS ${wrapper}(PECP_LIST *List);

NTSTATUS Attach(void)
{
    PECP_LIST list = NULL;
    NTSTATUS status = ${wrapper}(&list);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    return STATUS_SUCCESS;
}
`;
const wrapperFile = (wrapper: string) => `#include <fltKernel.h>
extern PFLT_FILTER gFilterHandle;

NTSTATUS ${wrapper}(PECP_LIST *List)
{
    return FltAllocateExtraCreateParameterList(gFilterHandle, 0, List);
}
`;

describe('a wrapper of another file whose name has $ or non-ASCII letters', () => {
  for (const wrapper of ['Make$List', 'MakeÉcpList', 'Make$Écp', 'MakeList']) {
    it(`${wrapper}: the leak of the list it returns is found at the call`, () => {
      const dir = tempTree({ 'create.c': caller(wrapper), 'ecp.c': wrapperFile(wrapper) });
      const r = run(['check', '--format', 'json', '--jobs', '1', dir]);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string; line: number }[] }[] };
      const create = report.files.find((f) => path.basename(f.path) === 'create.c')!;
      expect(create.findings.map((f) => [f.code, f.line])).toEqual([['ecp-list-leak', 7]]);
    });
  }
});
