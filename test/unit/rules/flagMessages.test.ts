/**
 * An ecp-flag-family message says what to write instead: the right family's constant when there
 * is one, and otherwise that the flag goes (a list has no non-paged flag), so the text output and
 * the Problems row are actionable without opening the lightbulb.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';

beforeAll(async () => {
  await initParser();
});

function flagMessages(call: string): string[] {
  const source = `#include <fltKernel.h>\nextern PFLT_FILTER gFilter;\nNTSTATUS F(VOID)\n{\n    PECP_LIST list = NULL;\n    PVOID ecp = NULL;\n    NTSTATUS status = ${call};\n    return status;\n}\n`;
  const parsed = parseText(source);
  try {
    return analyzeParsed(parsed, source).findings.filter((f) => f.code === 'ecp-flag-family').map((f) => f.message);
  } finally {
    parsed.tree.delete();
  }
}

describe('ecp-flag-family messages say what to write', () => {
  it('names the right constant when the expected family has one', () => {
    expect(flagMessages('FltAllocateExtraCreateParameterList(gFilter, FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA, &list)')).toEqual([
      'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA belongs to FSRTL_ALLOCATE_ECP_FLAGS, but parameter Flags of FltAllocateExtraCreateParameterList takes FSRTL_ALLOCATE_ECPLIST_FLAGS; use FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA (same value, so it works by accident).',
    ]);
  });

  it('says the flag goes when the expected family has no equivalent', () => {
    expect(flagMessages('FltAllocateExtraCreateParameterList(gFilter, FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL, &list)')).toEqual([
      'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL belongs to FSRTL_ALLOCATE_ECP_FLAGS, but parameter Flags of FltAllocateExtraCreateParameterList takes FSRTL_ALLOCATE_ECPLIST_FLAGS, which has no equivalent: leave it out (0 if it is the only flag).',
    ]);
  });
});
