/** The end-of-path report: Driver Verifier pool-tracking verdict, bug check, leaked blocks. */
import type { Trace } from '../../server/src/protocol';
import { exploredResult } from '../../server/src/simulate/exploredResult';
import { h, table, empty } from './dom';
import { count, num } from './format';
import { KIND } from './render-banner';
import { lineLink } from './render-tables';

function leakTable(trace: Trace): HTMLElement {
  const leaks = trace.final.leaks;
  if (!leaks.length) return empty('No leaked allocation: everything this function allocated is freed or handed off.');
  return table(
    'Leaked allocations',
    [
      { label: 'Kind' },
      { label: 'Address', mono: true },
      { label: 'Bytes', num: true },
      { label: 'Tag', mono: true },
      { label: 'Pool' },
      { label: 'Allocated at', mono: true },
    ],
    leaks.map((l) => [KIND[l.kind], l.address, num(l.bytes), [l.tag, 'tag'], l.pool === 'paged' ? 'Paged' : 'Nonp', lineLink(l.line)]),
  );
}

function fact(label: string, value: string): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', { text: label }), h('dd', { class: 'mono', text: value }));
}

export function renderReport(trace: Trace): HTMLElement {
  const f = trace.final;
  const leakedBytes = f.leaks.reduce((sum, l) => sum + l.bytes, 0);
  return h(
    'div',
    { class: 'report' },
    h(
      'dl',
      { class: 'facts' },
      fact('leaked', `${count(f.leaks.length, 'block')}, ${num(leakedBytes)} B`),
      fact('still live', num(f.live.length)),
      fact('quota at exit', `${num(f.quotaBytes)} B`),
      fact('cleanup callbacks run', num(f.cleanupCallbacks)),
    ),
    h('div', { attrs: { id: 'leaks' } }, leakTable(trace)),
  );
}

/** Systematic fault injection: one row per explored path; a button re-runs that path. */
export function renderExplored(trace: Trace): HTMLElement | null {
  const explored = trace.explored;
  if (!explored) return null;
  if (!explored.length) return empty('No allocation site to fail on this function.');
  const bad = explored.some((e) => e.leaks > 0 || e.bugCheck);
  const summary = trace.exploredSummary ? h('p', { class: `explored-summary ${bad ? 'bad' : 'ok'}`, attrs: { id: 'explored-summary' }, text: trace.exploredSummary }) : null;
  const rows = explored.map((e) => [
    `#${e.failedAllocation}`,
    lineLink(e.line),
    [exploredResult(e), e.leaks || e.bugCheck ? 'bad' : 'good'] as [string, string],
    [e.bugCheck ? `${e.bugCheck.code}/${e.bugCheck.subcode}` : '—', e.bugCheck ? 'bad' : ''] as [string, string],
    h('button', { class: 'small', title: `Run the path where allocation #${e.failedAllocation} fails`, attrs: { type: 'button', 'data-fail': e.failedAllocation } }, 'Show path'),
  ]);
  const grid = table(
    'Explored paths',
    [{ label: 'Failed alloc', mono: true }, { label: 'Site', mono: true }, { label: 'Result' }, { label: 'Bug check', mono: true }, { label: '' }],
    rows,
    (i) => (explored[i].leaks || explored[i].bugCheck ? 'row-bad' : ''),
  );
  const bound = trace.exploredBound ? h('p', { class: 'explored-bound bad', attrs: { id: 'explored-bound', role: 'status' }, text: `Not every site was failed: ${trace.exploredBound}.` }) : null;
  return h('div', { class: 'explored' }, summary, bound, h('div', { class: 'scroll-x' }, grid));
}
