import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';

beforeAll(async () => {
  await initParser();
});

function codes(text: string): string[] {
  const parsed = parseText(text);
  try {
    return analyzeParsed(parsed, text).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
  } finally {
    parsed.tree.delete();
  }
}

const HEAD = '#include <fltKernel.h>\nextern PFLT_FILTER F;\nextern const GUID GUID_X;\n';

describe('function-like macros defined in the file', () => {
  it('substitutes all parameters at once (an argument named like another parameter stays itself)', () => {
    const text = `${HEAD}#define FREE_BOTH(a, b) do { FltFreeExtraCreateParameter(F, b); FltFreeExtraCreateParameterList(F, a); } while (0)
VOID G(void) {
    PECP_LIST b = NULL; PVOID x = NULL;
    if (!NT_SUCCESS(FltAllocateExtraCreateParameterList(F, 0, &b))) return;
    if (!NT_SUCCESS(FltAllocateExtraCreateParameter(F, &GUID_X, 8, 0, NULL, 'xxxx', &x))) { FltFreeExtraCreateParameterList(F, b); return; }
    FREE_BOTH(b, x);
}
`;
    expect(codes(text)).toEqual([]);
  });

  it('pastes tokens with ##', () => {
    const text = `${HEAD}#define CHECKED(n) do { if (!NT_SUCCESS(status##n)) return status##n; } while (0)
NTSTATUS G(void) {
    PECP_LIST list = NULL; NTSTATUS status1;
    status1 = FltAllocateExtraCreateParameterList(F, 0, &list);
    CHECKED(1);
    FltFreeExtraCreateParameterList(F, list);
    return STATUS_SUCCESS;
}
`;
    expect(codes(text)).toEqual([]);
  });
});
