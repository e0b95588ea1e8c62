/** Fault-injection controls, Driver Verifier low-resources style. */
import { h, fill } from './dom';
import { parseFaultInput, type FaultSettings } from './messages';

export interface FaultForm {
  root: HTMLFormElement;
  allocs: HTMLInputElement;
  tags: HTMLInputElement;
  systematic: HTMLInputElement;
  run: HTMLButtonElement;
  message: HTMLElement;
  explored: HTMLElement;
}

export function buildFaultForm(): FaultForm {
  const allocs = h('input', { class: 'mono', attrs: { id: 'fail-alloc', type: 'text', inputmode: 'numeric', placeholder: 'e.g. 2 or 1,3', autocomplete: 'off', spellcheck: 'false' } });
  const tags = h('input', { class: 'mono', attrs: { id: 'fail-tag', type: 'text', placeholder: 'e.g. Tst1', autocomplete: 'off', spellcheck: 'false', maxlength: 64 } });
  const systematic = h('input', { attrs: { id: 'systematic', type: 'checkbox' } });
  const run = h('button', { class: 'primary', attrs: { id: 'run-sim', type: 'submit' } }, 'Simulate');
  const message = h('p', { class: 'form-msg', attrs: { id: 'fault-msg', role: 'status', 'aria-live': 'polite' } });
  const explored = h('div', { attrs: { id: 'explored' } });
  const root = h(
    'form',
    { class: 'faults', attrs: { id: 'fault-form', 'aria-label': 'Fault injection', novalidate: true } },
    h('label', { attrs: { for: 'fail-alloc' } }, 'Fail allocation #'),
    allocs,
    h('label', { attrs: { for: 'fail-tag' } }, 'Fail pool tag'),
    tags,
    h('label', { class: 'check', attrs: { for: 'systematic' } }, systematic, 'Fail each allocation site once (systematic)'),
    h('div', { class: 'form-row' }, run, message),
    explored,
  );
  return { root, allocs, tags, systematic, run, message, explored };
}

/** Read the form; null (with the reason shown) when the input is not acceptable. */
export function readFaults(form: FaultForm): FaultSettings | null {
  const parsed = parseFaultInput(form.allocs.value, form.tags.value);
  if ('error' in parsed) {
    form.message.textContent = parsed.error;
    form.message.className = 'form-msg error';
    form.allocs.setAttribute('aria-invalid', 'true');
    return null;
  }
  form.allocs.removeAttribute('aria-invalid');
  return { ...parsed.faults, systematic: form.systematic.checked };
}

export function writeFaults(form: FaultForm, faults: FaultSettings | undefined): void {
  form.allocs.value = faults ? faults.failAllocations.join(', ') : '';
  form.tags.value = faults ? faults.failTags.join(', ') : '';
  form.systematic.checked = faults ? faults.systematic : false;
}

export function setFormMessage(form: FaultForm, text: string, kind: 'info' | 'error' | 'busy'): void {
  form.message.className = `form-msg ${kind}`;
  form.message.textContent = text;
  form.run.disabled = kind === 'busy';
}

export function setExplored(form: FaultForm, content: HTMLElement | null): void {
  if (content) fill(form.explored, h('h3', { class: 'sub', text: 'Explored paths (one per allocation site)' }), content);
  else fill(form.explored);
}
