/**
 * The functions of other files merged into one analysis are bounded (1024). Past the bound a call
 * into another file is an unknown call, so a function that reaches one is reported incomplete
 * (`program-bound`), and the bound is spent breadth first: each of the file's own functions gets
 * its direct callees before any long chain is followed further.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';
import { WorkspaceIndex } from '../../../server/src/workspace';

const HEAD = '#include <fltKernel.h>\n';

/** A chain of 1100 functions in one file, each calling the next. */
const CHAIN = HEAD + Array.from({ length: 1100 }, (_, i) => `VOID\nChain${i}(_In_ PECP_LIST List)\n{\n    ${i < 1099 ? `Chain${i + 1}(List);` : 'UNREFERENCED_PARAMETER(List);'}\n}\n`).join('\n');

const WRAP = `${HEAD}
NTSTATUS
MakeList(_In_ PFLT_FILTER Filter, _Out_ PECP_LIST *List)
{
    return FltAllocateExtraCreateParameterList(Filter, 0, List);
}
`;

/** Near's wrapper is one call away; Far's list goes down the chain. Far comes last (the old order took the last function first). */
const MAIN = `${HEAD}
NTSTATUS MakeList(_In_ PFLT_FILTER Filter, _Out_ PECP_LIST *List);
VOID Chain0(_In_ PECP_LIST List);

VOID
Near(_In_ PFLT_FILTER Filter)
{
    PECP_LIST list = NULL;
    if (NT_SUCCESS(MakeList(Filter, &list))) {
        return;
    }
}

VOID
Far(_In_ PFLT_FILTER Filter)
{
    PECP_LIST list = NULL;
    if (NT_SUCCESS(FltAllocateExtraCreateParameterList(Filter, 0, &list))) {
        Chain0(list);
    }
}
`;

beforeAll(async () => {
  await initParser();
});

describe('the program merge bound', () => {
  it('is spent breadth first and reported as program-bound for a function that reaches past it', () => {
    const files = { 'file:///bound/main.c': MAIN, 'file:///bound/chain.c': CHAIN, 'file:///bound/wrap.c': WRAP };
    const index = WorkspaceIndex.ofFiles(Object.entries(files).map(([uri, text]) => ({ uri, text })));
    const parsed = parseText(MAIN, 'c');
    try {
      // No wall-clock bound: at load 20 the 1,100-function chain ran past 400 ms and came out time-bound.
      const r = analyzeParsed(parsed, MAIN, { workspace: index.factsFor('file:///bound/main.c'), deterministic: true });
      // Near's wrapper was merged before the chain used up the bound: its leak is found.
      const nearLine = MAIN.split('\n').findIndex((l) => l.includes('MakeList(Filter, &list)'));
      expect(r.findings.map((f) => `${f.code}@${f.range.start.line}`)).toEqual([`ecp-list-leak@${nearLine}`]);
      // Far reaches a call past the bound: not fully analysed, and said why.
      const gaps = r.file.coverage.incomplete.map((g) => `${g.function}:${g.reason}`);
      expect(gaps).toEqual(['Far:program-bound']);
      expect(r.file.coverage.incomplete[0].detail).toMatch(/^Chain\d+, which it reaches, calls functions of other files that were not followed: this file's program view stopped at 1024 functions of other files$/);
    } finally {
      parsed.tree.delete();
    }
  });
});
