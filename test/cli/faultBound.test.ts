/**
 * Systematic fault injection is bounded, and says so: `--fail-alloc each` on a function with more
 * allocation sites than the bound fails only that many and names the sites it did not fail, in
 * JSON (`exploredBound`) and in the text verdict.
 */
import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { run, tempTree } from './helpers';

function many(n: number): string {
  const lines = ['#include <fltKernel.h>', 'static const GUID GUID_ECP_MANY = { 0x1, 0x2, 0x3, { 0, 0, 0, 0, 0, 0, 0, 1 } };', 'NTSTATUS Many(PFLT_FILTER Filter)', '{', '    PVOID ctx = NULL;', '    NTSTATUS status;'];
  for (let i = 0; i < n; i++) {
    lines.push("    status = FltAllocateExtraCreateParameter(Filter, &GUID_ECP_MANY, 8, 0, NULL, 'ynaM', &ctx);", '    if (!NT_SUCCESS(status)) return status;');
    // The last site leaks: its context is never freed.
    if (i < n - 1) lines.push('    FltFreeExtraCreateParameter(Filter, ctx);');
  }
  lines.push('    return STATUS_SUCCESS;', '}', '');
  return lines.join('\n');
}

const DIR = tempTree({ 'many.c': many(12) });
const FILE = path.join(DIR, 'many.c');

describe('bounded systematic fault injection', () => {
  it('fails at most --max-fault-paths sites and states the bound in JSON and text', () => {
    const json = run(['simulate', FILE, '--fail-alloc', 'each', '--max-fault-paths', '5', '--format', 'json']);
    const trace = JSON.parse(json.stdout);
    expect(trace.explored.map((e: { failedAllocation: number }) => e.failedAllocation)).toEqual([1, 2, 3, 4, 5]);
    expect(trace.exploredBound).toBe('stopped after 5 of 12 allocation sites: at most 5 fault paths; the other 7 were not failed');
    expect(trace.exploredSummary).toContain(trace.exploredBound);
    const text = run(['simulate', FILE, '--fail-alloc', 'each', '--max-fault-paths', '5']);
    expect(text.stdout).toContain('(stopped after 5 of 12 allocation sites: at most 5 fault paths; the other 7 were not failed)');
  });

  it('under the bound every site is failed and no bound is reported', () => {
    const trace = JSON.parse(run(['simulate', FILE, '--fail-alloc', 'each', '--format', 'json']).stdout);
    expect(trace.explored).toHaveLength(12);
    expect(trace.exploredBound).toBeUndefined();
  });

  it('rejects a bound that is not a positive number', () => {
    const r = run(['simulate', FILE, '--fail-alloc', 'each', '--max-fault-paths', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-fault-paths takes a number of fault paths from 1 to 100000, got 'lots'");
  });
});
