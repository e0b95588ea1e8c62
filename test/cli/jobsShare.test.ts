import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { ROOT, tempTree } from './helpers';
import { analyseInWorkers } from '../../server/src/cli/pool';
import { collectSources } from '../../server/src/cli/files';
import { ProgramRun, type FileResult } from '../../server/src/cli/programRun';
import { NO_PROGRESS } from '../../server/src/cli/progress';
import { initParser } from '../../server/src/parsing/parser';

/** A function with many paths: flags set in branches decide, at the end, whether the list is freed. */
function opener(n: number): string {
  const flags = Array.from({ length: 6 }, (_, k) => `    if (Options & 0x${(1 << k).toString(16)}) { keep${k} = TRUE; }\n`).join('');
  const keeps = Array.from({ length: 6 }, (_, k) => `keep${k}`);
  return `NTSTATUS Open${n}(PFLT_FILTER Filter, ULONG Options)\n{\n    PECP_LIST list;\n    BOOLEAN ${keeps.map((k) => `${k} = FALSE`).join(', ')};\n    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);\n    if (!NT_SUCCESS(status)) return status;\n${flags}    if (${keeps.slice(0, 1 + (n % 6)).join(' || ')}) {\n        FltFreeExtraCreateParameterList(Filter, list);\n    }\n    return STATUS_SUCCESS;\n}\n\n`;
}

describe('ecp-lens check --jobs 2 on one large file', () => {
  it('lets the worker left without files run functions of the file the other is analysing, with the same results', async () => {
    // big.c holds nearly all the work (a driver's create.c); small.c is done at once.
    const dir = tempTree({ 'big.c': Array.from({ length: 40 }, (_, i) => opener(i)).join(''), 'small.c': 'int Small(void) { return 0; }\n' });
    const { files } = collectSources([dir]);
    const helped: string[] = [];
    const shared = await analyseInWorkers(files, {
      jobs: 2,
      progress: NO_PROGRESS,
      cpp: false,
      build: { options: new Map(), lists: new Map() },
      fixes: true,
      script: path.join(ROOT, 'dist/cli-worker.js'),
      onHelped: (file, fn) => helped.push(`${path.basename(files[file].path)}:${fn}`),
    });
    // The same two passes in this thread, nothing shared.
    await initParser();
    const run = new ProgramRun(files.map((f) => f.path), (i) => files[i].text, undefined);
    let alone: FileResult[];
    try {
      run.setProgram(files.map((_, i) => run.facts(i)));
      alone = files.map((_, i) => run.analyse(i));
    } finally {
      run.dispose();
    }
    expect(helped.length).toBeGreaterThan(0);
    expect(helped.every((h) => h.startsWith('big.c:'))).toBe(true);
    expect(shared).toEqual(alone);
    const big = shared[files.findIndex((f) => f.path.endsWith('big.c'))];
    expect(big.coverage.functions).toBe(40);
    // Open0 frees the list only when bit 0 is set: a leak on the other paths (Open5 frees on any bit but still leaks with none).
    expect(big.findings.filter((f) => f.code === 'ecp-list-leak').length).toBe(40);
  }, 60_000);
});
