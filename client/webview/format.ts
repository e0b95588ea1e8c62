/** Number formatting for the panel: fixed grouping so columns line up in monospace. */

export function num(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  const digits = Math.round(Math.abs(n)).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Signed difference, '' when zero. */
export function delta(n: number, unit = ''): string {
  if (!Number.isFinite(n) || n === 0) return '';
  return (n > 0 ? '+' : '−') + num(Math.abs(n)) + unit;
}

/** 0..1 (or 0..100) → '87.5%'. */
export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return '—';
  const p = rate <= 1 ? rate * 100 : rate;
  return `${p.toFixed(p === 100 || p === 0 ? 0 : 1)}%`;
}

/** Bytes for an axis label: 0, 512, 1.5K, 2.0M. */
export function shortBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)}`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)}K`;
  return `${(n / (1024 * 1024)).toFixed(1)}M`;
}

export type StatusKind = 'ok' | 'fail' | 'void' | 'bool';

export function statusKind(status: string | null): StatusKind {
  if (status === null) return 'void';
  if (status === 'STATUS_SUCCESS') return 'ok';
  if (status === 'TRUE' || status === 'FALSE') return 'bool';
  return 'fail';
}

/** "1 step", "2 steps"; `many` when the plural is not word + s. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/**
 * User text with its invisible characters made visible: C0 controls, DEL, bidirectional controls
 * and zero-width characters as ⟦U+202E⟧ (no font is needed to draw that). A right-to-left
 * override in an argument then cannot reverse the rest of the line, and nothing hides.
 */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟦U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`);
}

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
