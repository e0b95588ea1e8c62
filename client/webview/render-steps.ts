/** The step list (an ARIA listbox), the transport controls and the current step's call. */
import type { Trace, TraceExit, TraceStep } from '../../server/src/protocol';
import { h, s, fill } from './dom';
import { statusKind, visibleText } from './format';
import { fileNameOfUri as fileName } from '../../server/src/util/uriName';

const STATUS_LABEL = { ok: 'ok', fail: 'failed', void: 'void', bool: '' } as const;

/** What a call returned; a call that bug-checked returned nothing, so say that instead. */
export function resultText(step: TraceStep, previous: TraceStep | undefined): { text: string; cls: string } {
  const bc = step.snapshot.bugCheck;
  if (bc && !previous?.snapshot.bugCheck) return { text: `BUGCHECK ${bc.code}`, cls: 'status-fail' };
  return { text: step.status ?? 'VOID', cls: `status-${statusKind(step.status)}` };
}

/** Where a step happened: `L12` in the simulated file, `ecp.c:12` in another file of the program. */
function stepPlace(step: TraceStep): string {
  return step.file ? `${fileName(step.file)}:${step.line}` : `L${step.line}`;
}

function stepOption(step: TraceStep, i: number, all: TraceStep[]): HTMLLIElement {
  const kind = statusKind(step.status);
  const result = resultText(step, all[i - 1]);
  const args = step.args.map(visibleText);
  const call = `${step.routine}(${args.join(', ')})`;
  return h(
    'li',
    { class: 'step', title: call, attrs: { role: 'option', id: `step-${i}`, 'aria-selected': 'false', 'data-index': i } },
    h('span', { class: 'step-no mono', text: String(i + 1) }),
    h('span', { class: 'step-line mono', text: stepPlace(step), title: step.file ? `${step.file}, line ${step.line}` : `line ${step.line}` }),
    h('span', { class: 'step-routine', text: step.routine }),
    h('span', { class: `status ${result.cls} mono`, title: STATUS_LABEL[kind] }, result.text),
    h('span', { class: 'step-args mono', text: args.join(', ') }),
  );
}

/** Build the list once per trace; selection is updated by `markSelected`. */
export function renderStepList(list: HTMLElement, trace: Trace, exit: TraceExit | undefined): void {
  // Steps in other files of the program show file:line: the column widens for them.
  list.classList.toggle('with-files', trace.steps.some((st) => st.file !== undefined));
  fill(list, ...trace.steps.map((st, i, all) => stepOption(st, i, all)), exit ? exitOption(exit, trace.steps.length) : null);
}

const EXIT_LABEL = { return: 'return', end: 'end of function', bugcheck: 'bug check' } as const;

/** The exit step the list ends with: where the path left the function. */
function exitOption(exit: TraceExit, i: number): HTMLLIElement {
  return h(
    'li',
    { class: 'step exit', title: visibleText(exit.text), attrs: { role: 'option', id: `step-${i}`, 'aria-selected': 'false', 'data-index': i } },
    h('span', { class: 'step-no mono', text: String(i + 1) }),
    h('span', { class: 'step-line mono', text: `L${exit.line}` }),
    h('span', { class: 'step-routine', text: EXIT_LABEL[exit.kind] }),
    h('span', { class: 'status mono', text: 'exit' }),
    h('span', { class: 'step-args mono', text: visibleText(exit.text) }),
  );
}

/** The exit step's detail: the line that leaves the function. */
export function renderExitDetail(target: HTMLElement, exit: TraceExit, count: number): void {
  fill(
    target,
    h('div', { class: 'detail-head' }, h('span', { class: 'detail-pos mono', text: `step ${count}/${count}` }), h('span', { class: 'detail-line mono', text: `line ${exit.line}` })),
    h('code', { class: 'call' }, visibleText(exit.text) || EXIT_LABEL[exit.kind]),
    h('p', { class: 'note', text: exit.kind === 'return' ? 'The path returns here; the tables show what it leaves behind.' : 'The path reaches the end of the function here; the tables show what it leaves behind.' }),
  );
}

/** The step index of a click inside the list, or null. */
export function clickedStep(list: HTMLElement, target: EventTarget | null): number | null {
  const item = target instanceof Element ? target.closest('li.step') : null;
  if (!item || !list.contains(item)) return null;
  const index = Number(item.getAttribute('data-index'));
  return Number.isInteger(index) ? index : null;
}

export function markSelected(list: HTMLElement, index: number): void {
  const previous = list.querySelector('li.step[aria-selected="true"]');
  previous?.setAttribute('aria-selected', 'false');
  const item = list.querySelector<HTMLElement>(`#step-${index}`);
  if (!item) {
    list.removeAttribute('aria-activedescendant');
    return;
  }
  item.setAttribute('aria-selected', 'true');
  list.setAttribute('aria-activedescendant', item.id);
  item.scrollIntoView({ block: 'nearest' });
}

/** Keys on the listbox: ↑/k ↓/j Home End PageUp PageDown, Enter reveals, Space plays. */
export function stepKeyTarget(key: string, index: number, count: number): number | 'reveal' | 'play' | null {
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return Math.min(count - 1, index + 1);
    case 'ArrowUp':
    case 'k':
      return Math.max(0, index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(count - 1, index + 10);
    case 'PageUp':
      return Math.max(0, index - 10);
    case 'Enter':
      return 'reveal';
    case ' ':
      return 'play';
    default:
      return null;
  }
}

/** The current call written out, with its result and what the kernel did. */
export function renderStepDetail(target: HTMLElement, step: TraceStep | undefined, previous: TraceStep | undefined, count: number, index: number): void {
  if (!step) {
    fill(target, h('p', { class: 'empty', text: 'This path made no ECP calls.' }));
    return;
  }
  const result = resultText(step, previous);
  const args = step.args.flatMap((a, i) => [i > 0 ? ', ' : null, h('span', { class: 'arg', text: visibleText(a) })]);
  fill(
    target,
    h(
      'div',
      { class: 'detail-head' },
      h('span', { class: 'detail-pos mono', text: `step ${index + 1}/${count}` }),
      h('span', { class: 'detail-line mono', text: step.file ? `${fileName(step.file)} line ${step.line}` : `line ${step.line}` }),
      h('span', { class: 'irql mono', title: 'IRQL at this call', text: step.irql }),
    ),
    h('code', { class: 'call' }, h('span', { class: 'fn', text: step.routine }), '(', ...args, ')'),
    h('div', { class: 'detail-result' }, '→ ', h('span', { class: `status ${result.cls} mono`, text: result.text })),
    h('p', { class: 'note', text: visibleText(step.note) }),
  );
}

export interface Transport {
  root: HTMLElement;
  first: HTMLButtonElement;
  back: HTMLButtonElement;
  play: HTMLButtonElement;
  forward: HTMLButtonElement;
  last: HTMLButtonElement;
  position: HTMLElement;
  follow: HTMLInputElement;
}

/** 16×16 icon paths, drawn as SVG so they do not depend on the fonts installed. */
const ICONS = {
  first: 'M3 3h2v10H3zM13 3v10L6 8z',
  back: 'M12 3v10L5 8z',
  play: 'M5 3v10l8-5z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  forward: 'M4 3v10l7-5z',
  last: 'M11 3h2v10h-2zM3 3v10l7-5z',
} as const;

function icon(name: keyof typeof ICONS): SVGSVGElement {
  return s('svg', { class: 'icon', viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: ICONS[name] }));
}

function button(label: string, glyph: keyof typeof ICONS, id: string, keys: string): HTMLButtonElement {
  return h('button', { class: 'tbtn', title: `${label} (${keys})`, attrs: { type: 'button', id, 'aria-label': label, 'aria-keyshortcuts': keys } }, icon(glyph));
}

export function buildTransport(): Transport {
  const t = {
    first: button('First step', 'first', 'btn-first', 'Home'),
    back: button('Step back', 'back', 'btn-back', 'ArrowUp k'),
    play: button('Play', 'play', 'btn-play', 'Space'),
    forward: button('Step forward', 'forward', 'btn-forward', 'ArrowDown j'),
    last: button('Last step', 'last', 'btn-last', 'End'),
    position: h('span', { class: 'position mono', attrs: { 'aria-live': 'polite', id: 'position' } }),
    follow: h('input', { attrs: { type: 'checkbox', id: 'follow' } }),
  };
  const root = h(
    'div',
    { class: 'transport', attrs: { role: 'toolbar', 'aria-label': 'Step controls' } },
    t.first, t.back, t.play, t.forward, t.last, t.position,
    h('label', { class: 'follow', title: 'Reveal each step\u2019s line in the editor while stepping' }, t.follow, 'Follow in editor'),
  );
  return { root, ...t };
}

export function updateTransport(t: Transport, index: number, count: number, playing: boolean): void {
  t.first.disabled = t.back.disabled = index <= 0;
  t.forward.disabled = t.last.disabled = index >= count - 1;
  t.play.disabled = count < 2;
  t.play.replaceChildren(icon(playing ? 'pause' : 'play'));
  t.play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  t.play.setAttribute('aria-pressed', String(playing));
  t.position.textContent = count ? `${index + 1} / ${count}` : '0 / 0';
}
