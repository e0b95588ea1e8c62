/**
 * The pool simulator on small fixture sources: the simulated kernel's figures step by step and at
 * the end of the path. Expected sizes follow the x64 layouts (ECP_LIST 24 bytes, ECP header 72).
 */
import { describe, it, expect } from 'vitest';
import { run, lineOf, functionLine } from './helpers';
import { isTrace } from '../../../client/webview/validate-trace';

const SEVEN = 'seven-step.c';

describe('seven-step attach sequence', () => {
  it('a clean run ends with nothing live and a no-leak verdict', async () => {
    const t = await run(SEVEN, { function: 'AttachClean' });
    expect(isTrace(t)).toBe(true);
    expect(t.simulated).toBe(true);
    expect(t.function).toBe('AttachClean');
    expect(t.path).toEqual({ kind: 'success' });
    expect(t.steps.map((s) => s.routine)).toEqual([
      'FltAllocateExtraCreateParameterList',
      'FltAllocateExtraCreateParameter',
      'FltInsertExtraCreateParameter',
      'IoInitializeDriverCreateContext',
      'FltCreateFileEx2',
      'FltFreeExtraCreateParameterList',
    ]);
    const start = functionLine(SEVEN, 'AttachClean');
    expect(t.steps[0].line).toBe(lineOf(SEVEN, 'FltAllocateExtraCreateParameterList(', start));
    expect(t.steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(t.steps.map((s) => s.snapshot.paged.bytes)).toEqual([24, 136, 136, 136, 136, 0]);
    expect(t.steps.every((s) => s.irql === 'PASSIVE_LEVEL' && s.note.length > 0)).toBe(true);
    expect(t.steps[1].note).toContain('40 + 72-byte header = 112 bytes of paged pool, tag Trck');
    expect(t.steps[0].range.start.line).toBe(t.steps[0].line - 1);
    expect(t.final.live).toEqual([]);
    expect(t.final.leaks).toEqual([]);
    expect(t.final.bugCheck).toBeNull();
    expect(t.final.verdict).toMatch(/^No leak/);
    expect(t.final.snapshot.tags.map((r) => [r.tag, r.allocs, r.frees, r.bytes])).toEqual([['FSel', 1, 1, 0], ['Trck', 1, 1, 0]]);
    expect(t.functions).toEqual([
      { name: 'AttachClean', line: functionLine(SEVEN, 'AttachClean') },
      { name: 'AttachForgetsFree', line: functionLine(SEVEN, 'AttachForgetsFree') },
      { name: 'AttachLeaksOnError', line: functionLine(SEVEN, 'AttachLeaksOnError') },
    ]);
    expect(t.range.start.line + 1).toBe(functionLine(SEVEN, 'AttachClean'));
  });

  it('without step 7 the list and its context leak, with kinds, bytes, tags and lines', async () => {
    const t = await run(SEVEN, { function: 'AttachForgetsFree' });
    const start = functionLine(SEVEN, 'AttachForgetsFree');
    const listLine = lineOf(SEVEN, 'FltAllocateExtraCreateParameterList(', start);
    const ecpLine = lineOf(SEVEN, 'FltAllocateExtraCreateParameter(', start);
    expect(t.final.leaks.map(({ kind, bytes, tag, line, pool }) => ({ kind, bytes, tag, line, pool }))).toEqual([
      { kind: 'ecp-list', bytes: 24, tag: 'FSel', line: listLine, pool: 'paged' },
      { kind: 'ecp-context', bytes: 72 + 40, tag: 'Trck', line: ecpLine, pool: 'paged' },
    ]);
    expect(t.final.leaks.every((l) => /^[0-9a-f]{8}`[0-9a-f]{8}$/.test(l.address))).toBe(true);
    expect(t.final.live).toEqual(t.final.leaks);
    expect(t.final.verdict).toMatch(/^DRIVER_VERIFIER_DETECTED_VIOLATION \(0xC4\/0x62\): 2 pool allocations \(136 bytes\) still live at unload/);
    expect(t.final.cleanupCallbacks).toBe(0);
  });

  it('--fail-alloc 2 leaks the list when the error path forgets to free it', async () => {
    const t = await run(SEVEN, { function: 'AttachLeaksOnError', faults: { failAllocations: [2] } });
    const start = functionLine(SEVEN, 'AttachLeaksOnError');
    expect(t.path).toEqual({ kind: 'faults' });
    expect(t.steps.map((s) => s.status)).toEqual(['STATUS_SUCCESS', 'STATUS_INSUFFICIENT_RESOURCES']);
    expect(t.steps[1].note).toMatch(/fault injected: allocation attempt #2/);
    expect(t.final.leaks).toHaveLength(1);
    expect(t.final.leaks[0]).toMatchObject({ kind: 'ecp-list', bytes: 24, tag: 'FSel', line: lineOf(SEVEN, 'FltAllocateExtraCreateParameterList(', start) });
    expect(t.final.verdict).toContain('1 pool allocation (24 bytes)');
  });

  it('--fail-alloc 2 on the clean sequence frees everything on the error path', async () => {
    const t = await run(SEVEN, { function: 'AttachClean', faults: { failAllocations: [2] } });
    expect(t.steps.map((s) => s.routine)).toEqual(['FltAllocateExtraCreateParameterList', 'FltAllocateExtraCreateParameter', 'FltFreeExtraCreateParameterList']);
    expect(t.final.leaks).toEqual([]);
  });

  it('systematic mode lists every allocation attempt and which one leaks', async () => {
    const t = await run(SEVEN, { function: 'AttachLeaksOnError', faults: { systematic: true } });
    const start = functionLine(SEVEN, 'AttachLeaksOnError');
    expect(t.path).toEqual({ kind: 'success' });
    expect(t.final.leaks).toEqual([]);
    expect(t.explored).toEqual([
      { failedAllocation: 1, leaks: 0, bugCheck: null, line: lineOf(SEVEN, 'FltAllocateExtraCreateParameterList(', start), leaked: [], routine: 'FltAllocateExtraCreateParameterList' },
      {
        failedAllocation: 2,
        leaks: 1,
        bugCheck: null,
        line: lineOf(SEVEN, 'FltAllocateExtraCreateParameter(', start),
        leaked: [expect.objectContaining({ kind: 'ecp-list', bytes: 24, line: lineOf(SEVEN, 'FltAllocateExtraCreateParameterList(', start) })],
        routine: 'FltAllocateExtraCreateParameter',
      },
    ]);
    const clean = await run(SEVEN, { function: 'AttachClean', faults: { systematic: true } });
    expect(clean.explored?.map((e) => e.leaks)).toEqual([0, 0]);
  });

  it('picks the function containing a position, and explains when none does', async () => {
    const line = functionLine(SEVEN, 'AttachForgetsFree') + 5;
    expect((await run(SEVEN, { position: { line: line - 1, character: 4 } })).function).toBe('AttachForgetsFree');
    await expect(run(SEVEN, { position: { line: 2, character: 0 } })).rejects.toThrow(/no function contains line 3.*AttachClean \(line \d+\), AttachForgetsFree/);
    await expect(run(SEVEN, { function: 'Missing' })).rejects.toThrow(/no function named 'Missing'.*AttachLeaksOnError/);
    expect((await run(SEVEN)).function).toBe('AttachClean');
  });

  it('the diagnostic path choice runs the path behind an ecp-list-leak', async () => {
    const start = functionLine(SEVEN, 'AttachLeaksOnError');
    const listLine = lineOf(SEVEN, 'FltAllocateExtraCreateParameterList(', start);
    const t = await run(SEVEN, { function: 'AttachLeaksOnError', path: { kind: 'diagnostic', code: 'ecp-list-leak', line: listLine - 1 } });
    expect(t.path).toEqual({ kind: 'diagnostic', code: 'ecp-list-leak', line: listLine - 1 });
    expect(t.final.leaks.map((l) => [l.kind, l.line])).toEqual([['ecp-list', listLine]]);
    expect(t.steps.at(-1)?.status).not.toBe('STATUS_SUCCESS');
  });
});

describe('pool type and quota flags', () => {
  const FLAGS = 'pool-flags.c';

  it('CHARGE_QUOTA on the list charges its 24 bytes', async () => {
    const t = await run(FLAGS, { function: 'QuotaList' });
    expect(t.steps[0].snapshot.quotaBytes).toBe(24);
    expect(t.steps[0].snapshot.live[0]).toMatchObject({ kind: 'ecp-list', pool: 'paged', bytes: 24 });
    expect(t.steps[1].snapshot.quotaBytes).toBe(0);
    expect(t.final.quotaBytes).toBe(0);
  });

  it('NONPAGED_POOL puts the context in non-paged pool, without quota', async () => {
    const t = await run(FLAGS, { function: 'NonPagedEcp' });
    const snap = t.steps[0].snapshot;
    expect(snap.nonpaged.bytes).toBe(32 + 72);
    expect(snap.paged.bytes).toBe(0);
    expect(snap.quotaBytes).toBe(0);
    expect(snap.tags).toEqual([expect.objectContaining({ tag: 'Flag', pool: 'nonpaged', bytes: 104 })]);
    expect(t.final.verdict).toMatch(/^No leak/);
  });

  it('CHARGE_QUOTA on the context keeps it paged and charges the whole block', async () => {
    const t = await run(FLAGS, { function: 'QuotaEcp' });
    const snap = t.steps[0].snapshot;
    expect(snap.paged.bytes).toBe(104);
    expect(snap.nonpaged.bytes).toBe(0);
    expect(snap.quotaBytes).toBe(104);
    expect(t.steps[0].note).toContain('104 bytes of quota charged');
  });
});

describe('lookaside lists initialised elsewhere', () => {
  const LA = 'lookaside.c';

  it('an allocation that fits takes an entry of the lookaside (prepared from DriverEntry)', async () => {
    const t = await run(LA, { function: 'SmallFromLookaside' });
    const snap = t.steps[0].snapshot;
    expect(snap.lookasides).toEqual([expect.objectContaining({ name: 'gSmallLookaside', tag: 'LkSm', pool: 'nonpaged', entryBytes: 16 + 72, totalAllocates: 1, allocateMisses: 1 })]);
    expect(snap.live).toEqual([expect.objectContaining({ kind: 'lookaside-entry', bytes: 88, tag: 'LkSm', pool: 'nonpaged' })]);
    expect(t.steps[1].snapshot.lookasides[0].depth).toBe(1);
    expect(t.final.leaks).toEqual([]);
  });

  it('a context larger than the entry falls back to the pool', async () => {
    const t = await run(LA, { function: 'BigFromLookaside' });
    const snap = t.steps[0].snapshot;
    expect(snap.live).toEqual([expect.objectContaining({ kind: 'ecp-context', bytes: 64 + 72, tag: 'LkSm', pool: 'nonpaged' })]);
    expect(snap.looseContexts[0]).toMatchObject({ fallbackToPool: true, lookaside: null, contextBytes: 64 });
    expect(t.steps[0].note).toMatch(/larger than the gSmallLookaside entry.*fell back to non-paged pool, 136 bytes/);
  });
});

describe('ECP membership and cleanup callbacks', () => {
  const DUP = 'duplicate-and-cleanup.c';

  it('a duplicate ECP type returns STATUS_INVALID_PARAMETER at that insert', async () => {
    const t = await run(DUP, { function: 'DuplicateType' });
    const inserts = t.steps.filter((s) => s.routine === 'FltInsertExtraCreateParameter');
    expect(inserts.map((s) => s.status)).toEqual(['STATUS_SUCCESS', 'STATUS_INVALID_PARAMETER']);
    expect(inserts[1].line).toBe(lineOf(DUP, 'same GUID: rejected'));
    expect(inserts[1].violations).toEqual(['ecp-duplicate-type']);
    expect(inserts[1].note).toMatch(/same type is already in the list/);
    expect(inserts[1].snapshot.lists[0].contexts).toHaveLength(1);
    expect(t.final.leaks).toEqual([]);
  });

  it('the cleanup callback runs once per freed context', async () => {
    const t = await run(DUP, { function: 'TwoCleanups' });
    const free = t.steps.at(-1)!;
    expect(free.routine).toBe('FltFreeExtraCreateParameterList');
    expect(t.steps.at(-2)!.snapshot.cleanupCallbacks).toEqual([]);
    const runs = free.snapshot.cleanupCallbacks;
    expect(runs.map((r) => [r.callback, r.ecpType])).toEqual([['DupCleanup', 'GUID_ECP_DUP'], ['DupCleanup', 'GUID_ECP_OTHER']]);
    expect(new Set(runs.map((r) => r.address)).size).toBe(2);
    expect(t.final.cleanupCallbacks).toBe(2);
    expect(free.note).toContain('2 cleanup callbacks ran');
  });
});

describe('bug checks', () => {
  it('an empty list handed to a create stops the machine; no leak is reported after it', async () => {
    const t = await run('bugcheck.c');
    const last = t.steps.at(-1)!;
    expect(last.routine).toBe('FltCreateFileEx2');
    expect(last.bugCheck).toMatchObject({ code: '0x10C', subcode: '0x15' });
    expect(t.steps.filter((s) => s.bugCheck)).toHaveLength(1);
    expect(t.final.bugCheck).toMatchObject({ code: '0x10C', subcode: '0x15', name: 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION' });
    expect(t.final.leaks).toEqual([]);
    expect(t.final.live).toHaveLength(1);
    expect(t.final.verdict).toMatch(/^FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION \(0x10C\/0x15\).*FltCreateFileEx2 at line \d+/);
  });
});

describe('a function that never returns', () => {
  it('says the loop has no exit instead of "reached no end"', async () => {
    const loopLine = lineOf('endless-worker.c', 'for (;;)');
    await expect(run('endless-worker.c')).rejects.toThrow(new RegExp(`FabrikamServeForever never returns on this path: the loop at line ${loopLine} has no break, return or goto`));
  });
});
