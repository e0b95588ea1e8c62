/**
 * The terminal view of a trace (`ecp-lens simulate --format text`): a step table, pool totals,
 * the per-tag table, leaks and the verdict. Every figure is labelled simulated.
 */
import type { Trace } from '../protocol';
import type { KernelSnapshot } from '../kernel/types';
import { fileNameOfUri as fileName } from '../util/uriName';
import { plural } from '../util/plural';
import { exploredResult } from './exploredResult';
import { faultMatchText } from './faultMatchText';

const KIND = { 'ecp-list': 'ECP_LIST', 'ecp-context': 'ECP context', 'lookaside-entry': 'lookaside entry' } as const;

function n(v: number): string {
  return v.toLocaleString('en-US');
}

/** Columns padded to their widest cell; numbers right-aligned. */
function table(head: string[], rows: string[][], numeric: boolean[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].map((l) => `  ${l}`);
}

function short(irql: string): string {
  return irql.replace(/_LEVEL$/, '');
}

function stepTable(trace: Trace): string[] {
  // A step in another file of the program (a wrapper defined there) shows as file:line.
  const rows = trace.steps.map((s) => [
    String(s.index + 1),
    s.file ? `${fileName(s.file)}:${s.line}` : String(s.line),
    s.routine,
    s.status ?? '(void)',
    short(s.irql),
    n(s.snapshot.paged.bytes),
    n(s.snapshot.nonpaged.bytes),
    n(s.snapshot.quotaBytes),
  ]);
  const head = ['#', trace.steps.some((s) => s.file) ? 'where' : 'line', 'routine', 'status', 'IRQL', 'paged in use', 'nonpaged in use', 'quota'];
  const out = table(head, rows, [true, true, false, false, false, true, true, true]);
  const notes = trace.steps.map((s) => `  ${String(s.index + 1).padStart(3)}. ${s.note}`);
  return [...out, '', '  What happened:', ...notes];
}

function poolLine(p: KernelSnapshot['paged']): string {
  return `${plural(p.bytes, 'byte')} in ${plural(p.allocs, 'allocation')} (peak ${plural(p.peakBytes, 'byte')}, ${plural(p.peakAllocs, 'allocation')})`;
}

function totals(s: KernelSnapshot): string[] {
  return [
    `  paged:     ${poolLine(s.paged)}`,
    `  nonpaged:  ${poolLine(s.nonpaged)}`,
    `  quota:     ${plural(s.quotaBytes, 'byte')} charged`,
    `  allocation attempts: ${n(s.allocationAttempts)}; cleanup callbacks run: ${n(s.cleanupCallbacks.length)}`,
  ];
}

function tagTable(s: KernelSnapshot): string[] {
  if (s.tags.length === 0) return ['  (no pool tag used)'];
  const rows = s.tags.map((t) => [t.tag || '?', t.tagHex, t.pool === 'paged' ? 'Paged' : 'Nonp', n(t.allocs), n(t.frees), n(t.diff), n(t.bytes)]);
  return table(['Tag', 'Hex', 'Type', 'Allocs', 'Frees', 'Diff', 'Bytes'], rows, [false, false, false, true, true, true, true]);
}

function leakLines(trace: Trace): string[] {
  const { leaks, bugCheck } = trace.final;
  if (bugCheck) return ['  (none reported: the machine stopped at the bug check)'];
  if (leaks.length === 0) return ['  none'];
  const rows = leaks.map((l) => [KIND[l.kind], l.address, n(l.bytes), l.tag || '?', l.pool === 'paged' ? 'Paged' : 'Nonp', String(l.line)]);
  return table(['Kind', 'Address', 'Bytes', 'Tag', 'Pool', 'Allocated at line'], rows, [false, false, true, false, false, true]);
}

function exploredLines(trace: Trace): string[] {
  if (!trace.explored) return [];
  const rows = trace.explored.map((e) => [
    `#${e.failedAllocation}`,
    String(e.line),
    e.routine ?? '',
    exploredResult(e),
    e.bugCheck ? `${e.bugCheck.code}/${e.bugCheck.subcode}` : '-',
  ]);
  const body = rows.length ? table(['Failed alloc', 'line', 'routine', 'result', 'bug check'], rows, [false, true, false, false, false]) : ['  no allocation to fail'];
  return ['', 'Systematic fault injection (simulated): each allocation attempt fails once', ...body];
}

function faultLines(trace: Trace): string[] {
  if (!trace.faultMatches) return [];
  const rows = trace.faultMatches.map((m) => `  ${faultMatchText(m)}`);
  return ['', 'Fault plan (simulated): allocations failed on this path', ...rows];
}

/** The last line: the path's verdict, or with `each` the fault paths' summary that sets the exit status. */
function verdictLines(trace: Trace): string[] {
  if (!trace.exploredSummary) return [`Verdict (simulated): ${trace.final.verdict}`];
  return [`Success path (simulated): ${trace.final.verdict}`, `Verdict (simulated): ${trace.exploredSummary}`];
}

function pathLabel(trace: Trace): string {
  const p = trace.path;
  if (p.kind === 'diagnostic') return `the path behind ${p.code} at line ${p.line + 1}`;
  return p.kind === 'faults' ? 'fault-injection path' : 'success path (every call succeeds)';
}

export function formatTrace(trace: Trace, file: string): string {
  const f = trace.final;
  const lines = [
    `ECP Lens pool simulator — ${trace.function}() in ${file} (line ${trace.range.start.line + 1})`,
    `${pathLabel(trace)}; SIMULATED figures: x64 layouts, synthetic addresses, not measured on a machine.`,
    '',
    `Steps (${trace.steps.length}, simulated):`,
    ...(trace.steps.length ? stepTable(trace) : ['  no ECP routine was called on this path']),
    '',
    'Pool totals at the end of the path (simulated):',
    ...totals(f.snapshot),
    '',
    'Pool tags (simulated, like !poolused):',
    ...tagTable(f.snapshot),
    '',
    `Leaks (simulated): ${f.leaks.length}`,
    ...leakLines(trace),
    ...faultLines(trace),
    ...exploredLines(trace),
    '',
    ...verdictLines(trace),
  ];
  return `${lines.join('\n')}\n`;
}
