/** The panel skeleton: header, step pane, detail sections. Built once; renderers fill the slots. */
import type { Trace } from '../../server/src/protocol';
import { h, section, fill } from './dom';
import { buildTransport, type Transport } from './render-steps';
import { buildFaultForm, type FaultForm } from './render-faults';
import { chartLegend } from './chart';

export interface Layout {
  title: HTMLElement;
  pathInfo: HTMLElement;
  banner: HTMLElement;
  transport: Transport;
  steps: HTMLUListElement;
  detail: HTMLElement;
  faults: FaultForm;
  counters: HTMLElement;
  chart: HTMLElement;
  report: HTMLElement;
  ecp: HTMLElement;
  tags: HTMLElement;
  live: HTMLElement;
  lookaside: HTMLElement;
  cleanup: HTMLElement;
  stepCaptions: HTMLElement[];
}

export function buildLayout(root: HTMLElement): Layout {
  const slot = (id: string): HTMLElement => h('div', { class: 'slot', attrs: { id } });
  const stepCaption = (): HTMLElement => h('span', { class: 'caption step-caption' });
  const l = {
    title: h('h1', { class: 'fn mono', attrs: { id: 'function-name' } }),
    pathInfo: h('span', { class: 'path-info', attrs: { id: 'path-info' } }),
    banner: h('div', { class: 'banner', attrs: { id: 'banner', role: 'status' } }),
    transport: buildTransport(),
    steps: h('ul', { class: 'steps', attrs: { id: 'steps', role: 'listbox', tabindex: 0, 'aria-label': 'Trace steps' } }),
    detail: h('div', { class: 'step-detail', attrs: { id: 'step-detail', 'aria-live': 'polite' } }),
    faults: buildFaultForm(),
    counters: h('div', { class: 'tiles', attrs: { id: 'counters' } }),
    chart: slot('chart'),
    report: slot('report'),
    ecp: slot('ecp-lists'),
    tags: slot('pool-tags'),
    live: slot('live'),
    lookaside: slot('lookasides'),
    cleanup: slot('cleanup-runs'),
    stepCaptions: [] as HTMLElement[],
  };
  const captioned = (id: string, title: string, body: HTMLElement): HTMLElement => {
    const cap = stepCaption();
    l.stepCaptions.push(cap);
    const sec = section(id, title, null, body);
    sec.querySelector('h2')?.append(cap);
    return sec;
  };
  const header = h(
    'header',
    { class: 'top' },
    h('div', { class: 'title-row' }, h('span', { class: 'product', text: 'Pool simulator' }), l.title, h('span', { class: 'badge', title: 'Every figure here comes from the simulated kernel, not from a real machine', text: 'SIMULATED' })),
    l.pathInfo,
  );
  const left = h(
    'aside',
    { class: 'pane-steps', attrs: { 'aria-label': 'Steps' } },
    h('h2', { class: 'section-title' }, 'Steps', h('span', { class: 'caption', text: 'click or Enter: reveal line · ↑↓ / j k: move' })),
    l.transport.root,
    l.steps,
    l.detail,
    section('fault-injection', 'Fault injection', 'low-resources simulation', l.faults.root),
  );
  const right = h(
    'div',
    { class: 'pane-details' },
    captioned('counters-section', 'Pool counters', l.counters),
    section('chart-section', 'Pool bytes over the path', null, l.chart, chartLegend()),
    section('report-section', 'Leak and bug-check report', 'Driver Verifier pool tracking', l.report),
    captioned('ecp-section', 'ECP lists and contexts', l.ecp),
    captioned('tags-section', 'Pool tags', l.tags),
    captioned('live-section', 'Live allocations', l.live),
    captioned('lookaside-section', 'Lookaside lists', l.lookaside),
    captioned('cleanup-section', 'Cleanup callbacks that ran', l.cleanup),
  );
  fill(root, header, l.banner, h('main', { class: 'layout' }, left, right));
  return l;
}

const PATH_TEXT = {
  success: 'path: every call succeeds',
  faults: 'path: the fault plan decides which allocations fail',
};

export function describePath(trace: Trace): string {
  const p = trace.path;
  if (p.kind === 'diagnostic') return `path behind ${p.code} at line ${p.line + 1}`;
  return PATH_TEXT[p.kind];
}
