/**
 * One allocation a fault plan failed, the same in the terminal and the panel: which attempt, where,
 * and how it matched (by number, or by the tag as typed, either byte order).
 */
import type { FaultMatch } from '../protocol';

export function faultMatchText(m: FaultMatch): string {
  return `#${m.allocation} ${m.routine} at line ${m.line} fails (${m.matchedBy === 'number' ? 'by number' : `by ${m.matchedBy}`})`;
}
