/**
 * Entry of the pool simulator panel (bundled to dist/webview.js). Builds the page with DOM calls
 * only, validates every message from the host, persists the trace and step with setState so the
 * panel serializer can revive it, and drives the step list, player and fault-injection form.
 */
import type { Trace } from '../../server/src/protocol';
import { connectHost } from './api';
import { isHostToPanel, isPanelState, LIMITS, type FaultSettings, type HostToPanel, type PanelToHost } from './messages';
import { fill } from './dom';
import { buildLayout, describePath } from './layout';
import { renderStepList, markSelected, clickedStep, stepKeyTarget, renderStepDetail, renderExitDetail, updateTransport } from './render-steps';
import { renderBanner, renderNotice, renderRefused, stepCount, exitRow, wrongStep } from './render-banner';
import { count as plural } from './format';
import { renderCounters } from './render-counters';
import { renderChart, chartStep } from './chart';
import { renderTags, renderLive, renderLookasides, renderCleanupRuns } from './render-tables';
import { renderEcpTree } from './render-ecp';
import { renderReport, renderExplored } from './render-report';
import { readFaults, writeFaults, setFormMessage, setExplored } from './render-faults';
import { fileNameOfUri } from '../../server/src/util/uriName';
import { faultMatchText } from '../../server/src/simulate/faultMatchText';

const PLAY_INTERVAL_MS = 800;

const host = connectHost();
const ui = buildLayout(document.getElementById('app') ?? document.body);

const state = {
  trace: null as Trace | null,
  step: 0,
  faults: undefined as FaultSettings | undefined,
  timer: undefined as number | undefined,
};

function post(message: PanelToHost): void {
  host.postMessage(message);
}

function persist(): void {
  if (state.trace) host.setState({ trace: state.trace, step: state.step, faults: state.faults });
}

function reveal(line: number, file?: string): void {
  if (state.trace && Number.isInteger(line) && line >= 1) post({ type: 'revealLine', line, uri: file ?? state.trace.uri });
}

function renderStep(): void {
  const trace = state.trace;
  if (!trace) return;
  const count = stepCount(trace);
  const step = trace.steps[state.step];
  const exit = step ? undefined : exitRow(trace);
  const snap = step ? step.snapshot : trace.final.snapshot;
  const prev = state.step > 0 ? (trace.steps[state.step - 1] ?? trace.steps.at(-1))?.snapshot ?? null : null;
  markSelected(ui.steps, state.step);
  updateTransport(ui.transport, state.step, count, state.timer !== undefined);
  if (exit) renderExitDetail(ui.detail, exit, count);
  else renderStepDetail(ui.detail, step, trace.steps[state.step - 1], count, state.step);
  renderCounters(ui.counters, snap, prev);
  fill(ui.chart, renderChart(trace.steps, state.step, ui.chart.clientWidth));
  fill(ui.ecp, renderEcpTree(snap));
  fill(ui.tags, renderTags(snap));
  fill(ui.live, renderLive(snap.live));
  fill(ui.lookaside, renderLookasides(snap));
  fill(ui.cleanup, renderCleanupRuns(snap));
  const where = step?.file ? `${fileNameOfUri(step.file)} line ${step.line}` : `line ${step?.line}`;
  const caption = step ? `after step ${state.step + 1} (${where})` : exit ? `at the exit, step ${state.step + 1} (line ${exit.line})` : 'at the end of the path';
  for (const cap of ui.stepCaptions) cap.textContent = caption;
}

/** Select a step. `reveal`: always ask the host to show the line; 'follow': only if Follow is on. */
function select(index: number, revealMode: boolean | 'follow'): void {
  const trace = state.trace;
  if (!trace || !stepCount(trace)) return;
  const next = Math.max(0, Math.min(stepCount(trace) - 1, index));
  const changed = next !== state.step;
  state.step = next;
  renderStep();
  if (changed) persist();
  if (revealMode === true || (revealMode === 'follow' && ui.transport.follow.checked)) reveal(lineOfStep(trace, next), trace.steps[next]?.file);
}

function lineOfStep(trace: Trace, index: number): number {
  return trace.steps[index]?.line ?? exitRow(trace)?.line ?? 0;
}

function stopPlay(): void {
  if (state.timer !== undefined) window.clearInterval(state.timer);
  state.timer = undefined;
  if (state.trace) updateTransport(ui.transport, state.step, stepCount(state.trace), false);
}

function togglePlay(): void {
  const trace = state.trace;
  if (!trace) return;
  if (state.timer !== undefined) return stopPlay();
  if (state.step >= stepCount(trace) - 1) select(0, 'follow');
  state.timer = window.setInterval(() => {
    if (!state.trace || state.step >= stepCount(state.trace) - 1) return stopPlay();
    select(state.step + 1, 'follow');
  }, PLAY_INTERVAL_MS);
  updateTransport(ui.transport, state.step, stepCount(trace), true);
}

function loadTrace(trace: Trace, step: number): void {
  stopPlay();
  state.trace = trace;
  state.step = Math.max(0, Math.min(step, stepCount(trace) - 1));
  // A long name is cut with an ellipsis by CSS; the tooltip has all of it.
  ui.title.textContent = `${trace.function}()`;
  ui.title.title = trace.function;
  ui.pathInfo.textContent = `${describePath(trace)} · ${plural(stepCount(trace), 'step')}`;
  fill(ui.banner, renderBanner(trace));
  renderStepList(ui.steps, trace, exitRow(trace));
  fill(ui.report, renderReport(trace));
  setExplored(ui.faults, renderExplored(trace));
  document.body.classList.add('has-trace');
  document.body.classList.remove('cleared');
  renderStep();
  persist();
}

/** No trace any more: the previous function's title, steps and tables go; the reason is at the top. */
function clearTrace(message: string): void {
  stopPlay();
  state.trace = null;
  state.step = 0;
  host.setState(null);
  ui.title.textContent = '';
  ui.title.title = '';
  ui.pathInfo.textContent = '';
  fill(ui.banner, renderNotice(message));
  fill(ui.steps);
  fill(ui.detail);
  for (const slot of [ui.counters, ui.chart, ui.report, ui.ecp, ui.tags, ui.live, ui.lookaside, ui.cleanup]) fill(slot);
  setExplored(ui.faults, null);
  setFormMessage(ui.faults, '', 'info');
  for (const cap of ui.stepCaptions) cap.textContent = '';
  updateTransport(ui.transport, 0, 0, false);
  document.body.classList.remove('has-trace');
  document.body.classList.add('cleared');
}

/** The editor cursor moved: select the step on that line nearest the current one. */
function selectLine(line: number): void {
  const trace = state.trace;
  if (!trace) return;
  let best = -1;
  trace.steps.forEach((s, i) => {
    if (s.line === line && (best < 0 || Math.abs(i - state.step) < Math.abs(best - state.step))) best = i;
  });
  if (best >= 0 && best !== state.step) select(best, false);
}

function onHostMessage(msg: HostToPanel): void {
  switch (msg.type) {
    case 'trace':
      // Without a step to restore, select the step where the path goes wrong.
      loadTrace(msg.trace, msg.step ?? wrongStep(msg.trace));
      setFormMessage(ui.faults, faultPlanMessage(msg.trace), 'info');
      return;
    case 'selectStep':
      return selectLine(msg.line);
    case 'busy':
      return setFormMessage(ui.faults, msg.busy ? 'Simulating…' : '', msg.busy ? 'busy' : 'info');
    case 'error':
      // The previous verdict does not answer this request: the banner says so (see renderRefused).
      fill(ui.banner, renderRefused(msg.message.slice(0, LIMITS.maxMessage), state.trace));
      return setFormMessage(ui.faults, msg.message.slice(0, LIMITS.maxMessage), 'error');
    case 'clear':
      return clearTrace(msg.message.slice(0, LIMITS.maxMessage));
  }
}

/** Which allocations the fault plan failed (a tag typed either way round says how it matched). */
function faultPlanMessage(trace: Trace): string {
  const matches = trace.faultMatches ?? [];
  if (matches.length > 0) return `Trace updated: ${matches.map(faultMatchText).join('; ')}.`.slice(0, LIMITS.maxMessage);
  const explored = trace.explored?.length ?? 0;
  if (state.faults?.systematic && explored > 0) return `Ran ${plural(explored, 'fault path')}: the verdict is at the top, each path under “Explored paths”.`;
  return state.faults ? 'Trace updated with the fault plan.' : '';
}

function requestSimulation(faults: FaultSettings): void {
  const trace = state.trace;
  if (!trace) return setFormMessage(ui.faults, 'No trace loaded: run “Simulate” from the editor first.', 'error');
  state.faults = faults;
  persist();
  setFormMessage(ui.faults, 'Simulating…', 'busy');
  post({ type: 'simulate', uri: trace.uri, function: trace.function, faults });
}

function wireEvents(): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostToPanel(event.data)) onHostMessage(event.data);
  });
  ui.steps.addEventListener('click', (e) => {
    const i = clickedStep(ui.steps, e.target);
    if (i !== null) select(i, true);
  });
  ui.steps.addEventListener('keydown', (e) => {
    if (!state.trace || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = stepKeyTarget(e.key, state.step, stepCount(state.trace));
    if (target === null) return;
    e.preventDefault();
    if (target === 'reveal') reveal(lineOfStep(state.trace, state.step), state.trace.steps[state.step]?.file);
    else if (target === 'play') togglePlay();
    else select(target, 'follow');
  });
  const t = ui.transport;
  t.first.addEventListener('click', () => select(0, 'follow'));
  t.back.addEventListener('click', () => select(state.step - 1, 'follow'));
  t.play.addEventListener('click', togglePlay);
  t.forward.addEventListener('click', () => select(state.step + 1, 'follow'));
  t.last.addEventListener('click', () => select(Number.MAX_SAFE_INTEGER, 'follow'));
  ui.chart.addEventListener('click', (e) => {
    const i = chartStep(e.target);
    if (i !== null) select(i, true);
  });
  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('button.linelink') : null;
    if (link) reveal(Number(link.getAttribute('data-line')));
    const rerun = e.target instanceof Element ? e.target.closest('button[data-fail]') : null;
    if (rerun) requestSimulation({ failAllocations: [Number(rerun.getAttribute('data-fail'))], failTags: [], systematic: false });
  });
  ui.faults.root.addEventListener('submit', (e) => {
    e.preventDefault();
    const faults = readFaults(ui.faults);
    if (faults) requestSimulation(faults);
  });
  document.addEventListener('keydown', (e) => {
    const el = e.target instanceof Element ? e.target : null;
    if (!state.trace || e.altKey || e.ctrlKey || e.metaKey || (el && el.closest('input, textarea, select, #steps'))) return;
    if (e.key === 'j' || e.key === 'k') {
      e.preventDefault();
      select(state.step + (e.key === 'j' ? 1 : -1), 'follow');
    }
  });
}

/** Redraw the chart at the new width when the panel is resized. */
function watchWidth(): void {
  let lastWidth = ui.chart.clientWidth;
  new ResizeObserver(() => {
    const width = ui.chart.clientWidth;
    if (!state.trace || Math.abs(width - lastWidth) < 8) return;
    lastWidth = width;
    fill(ui.chart, renderChart(state.trace.steps, state.step, width));
  }).observe(ui.chart);
}

function restore(): void {
  const saved = host.getState();
  if (!isPanelState(saved)) return;
  state.faults = saved.faults;
  writeFaults(ui.faults, saved.faults);
  loadTrace(saved.trace, saved.step);
}

wireEvents();
watchWidth();
restore();
post({ type: 'ready' });
