import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, loadLanguage, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';
import { WorkspaceIndex } from '../../../server/src/workspace';

// More program files than the model cache keeps (128): the first callee's tree must outlive the
// lookups that follow it in the same analysis, since its body is merged and run afterwards.
const CALLEES = 140;

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
});

describe('program file models during one analysis', () => {
  it('keeps every tree a merged callee reads alive, however many files the analysis looks up', () => {
    const files = Array.from({ length: CALLEES }, (_, i) => ({
      uri: `file:///cache-probe/make${i}.c`,
      text: `#include <fltKernel.h>\nextern PFLT_FILTER gProbeFilter;\nNTSTATUS ProbeMake${i}(PECP_LIST *Out)\n{\n    return FltAllocateExtraCreateParameterList(gProbeFilter, 0, Out);\n}\n`,
    }));
    const calls = files.slice(1).map((_, i) => `    ProbeMake${i + 1}(&other);\n    FltFreeExtraCreateParameterList(gProbeFilter, other);\n`).join('');
    const caller =
      '#include <fltKernel.h>\nPFLT_FILTER gProbeFilter;\nNTSTATUS ProbeCaller(VOID)\n{\n    PECP_LIST list = NULL;\n    PECP_LIST other = NULL;\n' +
      '    if (!NT_SUCCESS(ProbeMake0(&list))) {\n        return STATUS_UNSUCCESSFUL;\n    }\n' +
      calls +
      '    return STATUS_SUCCESS;\n}\n';
    const uri = 'file:///cache-probe/caller.c';
    const index = WorkspaceIndex.ofFiles([...files, { uri, text: caller }].map((f) => ({ ...f, view: {} })));
    const parsed = parseText(caller, 'c');
    try {
      // deterministic: the CLI's bounds (no time bound), so a loaded machine cannot cut the run short.
      const { findings } = analyzeParsed(parsed, caller, { workspace: index.factsFor(uri), deterministic: true });
      // The list from ProbeMake0 is never freed: found through the first file's merged body.
      const leaks = findings.filter((f) => f.code === 'ecp-list-leak').map((f) => f.range.start.line + 1);
      expect(leaks).toContain(7);
    } finally {
      parsed.tree.delete();
    }
  });
});
