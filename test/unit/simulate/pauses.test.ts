/**
 * Time bounds count a run's own work, not the pauses in which the server answered others: a
 * simulation driven slice by slice with long pauses between the slices (longer than the bounds)
 * still completes: the path run's time bound and the fault injection budget alike.
 */
import { describe, it, expect } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { simulateInSlices } from '../../../server/src/simulate/simulate';
import type { Sliced } from '../../../server/src/util/slices';
import { manyAllocations } from '../../protocol/heavy';

/** Runs the work with a pause of `pauseMs` after each of its first `pauses` steps. */
async function withPauses<T>(work: Sliced<T>, pauses: number, pauseMs: number): Promise<T> {
  for (let step = 0; ; step++) {
    const r = work.next();
    if (r.done) return r.value;
    if (step < pauses) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

describe('pauses do not count against time bounds', () => {
  it('a path run and fault injection paused longer than their bounds complete', async () => {
    await initParser();
    const text = manyAllocations('Paused', 100);
    const parsed = parseText(text);
    try {
      // A path bound of 500 ms, a fault budget of 4 s, three pauses of 1.4 s: with paused time
      // counted, the first pause would stop the chosen path's run, and the three the fault runs.
      // Own work stays well under both, even on a loaded machine.
      const work = simulateInSlices(parsed, text, 'file:///paused.c', { textDocument: { uri: 'file:///paused.c' }, function: 'Paused', faults: { systematic: true, failAllocations: [1] } }, {
        limits: { maxMillis: 500 },
        faultBounds: { maxMs: 4000 },
      });
      const trace = await withPauses(work, 3, 1400);
      expect(trace.faultMatches?.map((m) => m.allocation)).toEqual([1]);
      expect(trace.explored).toHaveLength(100);
      expect(trace.exploredBound).toBeUndefined();
    } finally {
      parsed.tree.delete();
    }
  });
});
