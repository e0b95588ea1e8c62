/**
 * Paged and non-paged bytes over the steps, drawn as inline SVG (no chart library). Geometry is
 * in SVG attributes; colours come from panel.css classes that use the theme's chart colours.
 */
import type { TraceStep } from '../../server/src/protocol';
import { s, h } from './dom';
import { num, shortBytes } from './format';

const H = 150;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

/** Y-axis scale: a 1/2/5 × 10^k tick step and the top (a whole number of steps, at most ~4). */
export function yScale(max: number): { step: number; top: number } {
  if (max <= 0) return { step: 16, top: 64 };
  const raw = max / 4;
  const exp = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * exp).find((v) => v >= raw) ?? 10 * exp;
  const whole = Math.max(1, Math.round(step)) === step ? step : Math.max(1, Math.ceil(step));
  return { step: whole, top: whole * Math.ceil(max / whole) };
}

/** Stepped path through the values: each step holds its value across its column. */
function steppedPath(values: number[], x: (i: number) => number, y: (v: number) => number, colW: number): string {
  let d = '';
  values.forEach((v, i) => {
    const x0 = x(i) - colW / 2;
    const x1 = x(i) + colW / 2;
    d += `${i === 0 ? 'M' : 'L'}${x0.toFixed(1)},${y(v).toFixed(1)} L${x1.toFixed(1)},${y(v).toFixed(1)} `;
  });
  return d.trim();
}

function areaPath(values: number[], x: (i: number) => number, y: (v: number) => number, colW: number): string {
  if (!values.length) return '';
  const line = steppedPath(values, x, y, colW);
  const x0 = x(0) - colW / 2;
  const xn = x(values.length - 1) + colW / 2;
  return `${line} L${xn.toFixed(1)},${y(0).toFixed(1)} L${x0.toFixed(1)},${y(0).toFixed(1)} Z`;
}

/** `width`: the container's CSS pixel width, so text keeps its size at any panel width. */
export function renderChart(steps: TraceStep[], current: number, width: number): SVGSVGElement {
  const W = Math.max(320, Math.min(1200, Math.round(width) || 640));
  const paged = steps.map((st) => st.snapshot.paged.bytes);
  const nonpaged = steps.map((st) => st.snapshot.nonpaged.bytes);
  const { step: tickStep, top } = yScale(Math.max(0, ...paged, ...nonpaged));
  const n = Math.max(steps.length, 1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const colW = plotW / n;
  const x = (i: number): number => PAD.left + colW * (i + 0.5);
  const y = (v: number): number => PAD.top + plotH - (v / top) * plotH;

  const svg = s('svg', {
    class: 'chart',
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': `Simulated paged and non-paged pool bytes over ${steps.length} steps; at step ${current + 1}: paged ${paged[current] ?? 0} bytes, non-paged ${nonpaged[current] ?? 0} bytes`,
  });
  for (let v = 0; v <= top; v += tickStep) {
    const yy = y(v).toFixed(1);
    svg.append(
      s('line', { class: v === 0 ? 'axis' : 'gridline', x1: PAD.left, x2: W - PAD.right, y1: yy, y2: yy }),
      s('text', { class: 'tick', x: PAD.left - 6, y: yy, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, shortBytes(v)),
    );
  }
  svg.append(s('rect', { class: 'cursor-col', x: (x(current) - colW / 2).toFixed(1), y: PAD.top, width: colW.toFixed(1), height: plotH }));
  svg.append(
    s('path', { class: 'area paged', d: areaPath(paged, x, y, colW) }),
    s('path', { class: 'area nonpaged', d: areaPath(nonpaged, x, y, colW) }),
    s('path', { class: 'series paged', d: steppedPath(paged, x, y, colW) }),
    s('path', { class: 'series nonpaged', d: steppedPath(nonpaged, x, y, colW) }),
  );
  const labelEvery = Math.ceil(steps.length / 16);
  steps.forEach((st, i) => {
    if (i % labelEvery === 0 || i === current) {
      svg.append(s('text', { class: i === current ? 'tick current' : 'tick', x: x(i).toFixed(1), y: H - 6, 'text-anchor': 'middle' }, String(i + 1)));
    }
    const hit = s('rect', { class: 'hit', x: (x(i) - colW / 2).toFixed(1), y: PAD.top, width: colW.toFixed(1), height: plotH, 'data-index': i });
    hit.append(s('title', {}, `step ${i + 1}, line ${st.line}: ${st.routine} — paged ${num(paged[i])} B, non-paged ${num(nonpaged[i])} B`));
    svg.append(hit);
  });
  if (steps.length) {
    svg.append(
      s('circle', { class: 'dot paged', cx: x(current).toFixed(1), cy: y(paged[current] ?? 0).toFixed(1), r: 3.5 }),
      s('circle', { class: 'dot nonpaged', cx: x(current).toFixed(1), cy: y(nonpaged[current] ?? 0).toFixed(1), r: 3.5 }),
    );
  }
  return svg;
}

export function chartLegend(): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    h('span', { class: 'key paged' }, h('span', { class: 'swatch' }), 'Paged bytes'),
    h('span', { class: 'key nonpaged' }, h('span', { class: 'swatch' }), 'Non-paged bytes'),
    h('span', { class: 'caption', text: 'x = step, y = bytes in pool after the step' }),
  );
}

/** The step index of a click on the chart, or null. */
export function chartStep(target: EventTarget | null): number | null {
  if (!(target instanceof Element) || !target.classList.contains('hit')) return null;
  const index = Number(target.getAttribute('data-index'));
  return Number.isInteger(index) ? index : null;
}
