/**
 * The function cache key holds what the function's names stand for, through the bodies of the
 * macros and defines they name: editing a define that another define names changes the result,
 * so it must change the key (the editor re-analyses; it used to serve the old findings).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzePaths } from '../../../server/src/engine/analyzeFile';

beforeAll(async () => {
  await initParser();
});

const source = (frees: number, flags = '0') => `#include <fltKernel.h>
#define FABRIKAM_FREES ${frees}
#define FABRIKAM_DOES_FREE (FABRIKAM_FREES)
#define FABRIKAM_LIST_FLAGS ${flags}
#define FABRIKAM_RELEASE(f, l) if (FABRIKAM_DOES_FREE) FltFreeExtraCreateParameterList((f), (l))

VOID
FabrikamMaybeFree(_In_ PFLT_FILTER Filter)
{
    PECP_LIST list = NULL;
    if (NT_SUCCESS(FltAllocateExtraCreateParameterList(Filter, FABRIKAM_LIST_FLAGS, &list))) {
        if (FABRIKAM_DOES_FREE) {
            FltFreeExtraCreateParameterList(Filter, list);
        }
    }
}

VOID
FabrikamMacroFree(_In_ PFLT_FILTER Filter)
{
    PECP_LIST list = NULL;
    if (NT_SUCCESS(FltAllocateExtraCreateParameterList(Filter, 0, &list))) {
        FABRIKAM_RELEASE(Filter, list);
    }
}
`;

function run(text: string) {
  const parsed = parseText(text, 'c');
  try {
    const r = analyzePaths(parsed, text);
    return { leaks: r.findings.filter((f) => f.code === 'ecp-list-leak').map((f) => f.functionName).sort(), analysed: r.analysedFunctions };
  } finally {
    parsed.tree.delete();
  }
}

describe('function cache key: names reached through macro and define bodies', () => {
  it('an edit of a define named only by another define re-analyses the functions that use either', () => {
    expect(run(source(1))).toEqual({ leaks: [], analysed: 2 });
    expect(run(source(1)).analysed).toBe(0);
    expect(run(source(0))).toEqual({ leaks: ['FabrikamMacroFree', 'FabrikamMaybeFree'], analysed: 2 });
  });

  it('an edit no function reaches keeps every function cached', () => {
    run(source(1, '0'));
    expect(run(source(1, '0')).analysed).toBe(0);
    // FABRIKAM_LIST_FLAGS is read by FabrikamMaybeFree only.
    expect(run(source(1, '0x1')).analysed).toBe(1);
  });
});
