/**
 * The verdict where the eye is: one banner under the header that says what went wrong on this
 * path and where it left the function ("leaks ECP_LIST 24 B from line 29: returns at line 54"),
 * the bug check (shown here only), and which step the path went wrong at (selected on load).
 */
import type { Trace, TraceExit, TraceLeak } from '../../server/src/protocol';
import { h } from './dom';
import { num, statusKind } from './format';

/** What the bug check means (its code and name are in the sentence above it). */
function bugCheckMeaning(bc: NonNullable<Trace['final']['bugCheck']>): HTMLElement {
  return h('div', { class: 'bugcheck', attrs: { role: 'alert' } }, bc.meaning ? h('p', { class: 'bc-meaning', text: bc.meaning }) : null, h('p', { class: 'caption', text: 'The simulated machine stopped at this call; the path ends there.' }));
}

export const KIND = { 'ecp-list': 'ECP_LIST', 'ecp-context': 'ECP context', 'lookaside-entry': 'lookaside entry' } as const;

/** Steps plus the exit step the list ends with. */
export function stepCount(trace: Trace): number {
  return trace.steps.length + (exitRow(trace) ? 1 : 0);
}

/** The exit that gets its own row: a return or the end of the body (a bug check is already the last call). */
export function exitRow(trace: Trace): TraceExit | undefined {
  const exit = trace.final.exit;
  return exit && exit.kind !== 'bugcheck' ? exit : undefined;
}

function exitPhrase(trace: Trace): string {
  const exit = trace.final.exit;
  if (!exit) return 'the path ends';
  if (exit.kind === 'bugcheck') return `the machine stops at line ${exit.line}`;
  return exit.kind === 'return' ? `returns at line ${exit.line}` : `reaches the end of the function at line ${exit.line}`;
}

function leakPhrase(leaks: TraceLeak[]): string {
  const shown = leaks.slice(0, 3).map((l) => `${KIND[l.kind]} ${num(l.bytes)} B from line ${l.line}`);
  const more = leaks.length > 3 ? ` and ${num(leaks.length - 3)} more` : '';
  return `leaks ${shown.join(', ')}${more}`;
}

/** The call that stopped the machine (the first snapshot with a bug check), or -1. */
function stopperIndex(trace: Trace): number {
  return trace.steps.findIndex((s) => s.bugCheck || s.snapshot.bugCheck);
}

/** The sentence of the banner. */
export function verdictSentence(trace: Trace): string {
  const f = trace.final;
  if (f.bugCheck) {
    const stopper = trace.steps[stopperIndex(trace)];
    const where = stopper ? `the machine stops at line ${stopper.line} in ${stopper.routine}` : exitPhrase(trace);
    return `bug check ${f.bugCheck.name ? `${f.bugCheck.name} ` : ''}(${f.bugCheck.code}/${f.bugCheck.subcode}): ${where}`;
  }
  if (f.leaks.length > 0) return `${leakPhrase(f.leaks)}: ${exitPhrase(trace)}`;
  return `no leak: ${exitPhrase(trace)}`;
}

/**
 * The step where the path goes wrong: the call that bug-checked, else the first call that raised
 * a rule, else (on a path that leaks) the last failed call before the exit, else the exit step.
 * A clean path selects its first step.
 */
export function wrongStep(trace: Trace): number {
  const steps = trace.steps;
  const stopper = stopperIndex(trace);
  if (stopper >= 0) return stopper;
  const raised = steps.findIndex((s) => s.violations && s.violations.length > 0);
  if (raised >= 0) return raised;
  if (trace.final.leaks.length === 0) return 0;
  for (let i = steps.length - 1; i >= 0; i--) if (statusKind(steps[i].status) === 'fail') return i;
  return Math.max(0, stepCount(trace) - 1);
}

/**
 * With systematic fault injection the answer is the fault paths' summary, not the success path's:
 * "no leak" in green at the top of a run where a fault path leaks said the opposite of the table
 * below. The success path, whose steps are listed, is named in the detail line.
 */
function renderSystematicBanner(trace: Trace, explored: NonNullable<Trace['explored']>): HTMLElement {
  const f = trace.final;
  const pathBad = f.leaks.length > 0 || f.bugCheck !== null;
  const bad = pathBad || explored.some((e) => e.leaks > 0 || e.bugCheck);
  const sentence = (trace.exploredSummary ?? `${explored.length} fault path${explored.length === 1 ? '' : 's'} explored`).replace(/\.$/, '');
  const bound = trace.exploredBound ? ` Not every site was failed: ${trace.exploredBound}.` : '';
  return h(
    'div',
    { class: `verdict ${bad ? 'bad' : 'ok'}`, attrs: { id: 'verdict' } },
    h(
      'div',
      { class: 'verdict-line' },
      h('span', { class: 'verdict-icon', attrs: { 'aria-hidden': 'true' }, text: bad ? '✖' : '✔' }),
      h('span', { class: 'verdict-sentence', attrs: { id: 'verdict-sentence' }, text: sentence }),
    ),
    // A success path that itself goes wrong keeps its Driver Verifier line here.
    h('div', { class: 'verdict-detail', text: `Steps below: the success path, ${verdictSentence(trace)}${pathBad ? ` (${f.verdict})` : ''}. Each fault path is under “Explored paths”; “Show path” runs it.${bound}` }),
  );
}

export function renderBanner(trace: Trace): HTMLElement {
  const f = trace.final;
  if (trace.explored && trace.explored.length > 0) return renderSystematicBanner(trace, trace.explored);
  const bad = f.leaks.length > 0 || f.bugCheck !== null;
  const at = wrongStep(trace);
  const where = bad ? ` · selected: step ${at + 1}, where the path goes wrong` : '';
  return h(
    'div',
    { class: `verdict ${bad ? 'bad' : 'ok'}`, attrs: { id: 'verdict' } },
    h(
      'div',
      { class: 'verdict-line' },
      h('span', { class: 'verdict-icon', attrs: { 'aria-hidden': 'true' }, text: bad ? '✖' : '✔' }),
      h('span', { class: 'verdict-sentence', attrs: { id: 'verdict-sentence' }, text: verdictSentence(trace) }),
    ),
    // The Driver Verifier line repeats a bug check's sentence; it is shown only for leaks and clean paths.
    f.bugCheck ? bugCheckMeaning(f.bugCheck) : h('div', { class: 'verdict-detail mono', text: `${f.verdict}${where}` }),
  );
}

/** The banner when there is no trace: why, in plain words. */
export function renderNotice(message: string): HTMLElement {
  return h('div', { class: 'verdict notice', attrs: { id: 'notice' } }, h('div', { class: 'verdict-line' }, h('span', { class: 'verdict-sentence', text: message })));
}

/**
 * The banner when the host could not run what the panel asked (a fault plan naming an allocation
 * the path never attempts, a server that stopped): no verdict holds for that request, so the
 * previous run's verdict must not stand at the top as if it did; the trace below stays, named as
 * the previous run.
 */
export function renderRefused(message: string, previous: Trace | null): HTMLElement {
  return h(
    'div',
    { class: 'verdict refused', attrs: { id: 'verdict', role: 'alert' } },
    h('div', { class: 'verdict-line' }, h('span', { class: 'verdict-icon', attrs: { 'aria-hidden': 'true' }, text: '!' }), h('span', { class: 'verdict-sentence', attrs: { id: 'verdict-sentence' }, text: message })),
    previous ? h('div', { class: 'verdict-detail', text: `No result for this request. What follows is the previous run: ${verdictSentence(previous)}.` }) : null,
  );
}
