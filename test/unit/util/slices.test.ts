import { describe, it, expect } from 'vitest';
import { runInSlices, runToEnd, WorkStopped, type Sliced } from '../../../server/src/util/slices';

function* counting(steps: number, log: string[], name = 'step'): Sliced<number> {
  try {
    for (let i = 0; i < steps; i++) {
      log.push(`${name}${i}`);
      yield;
    }
    return steps;
  } finally {
    log.push('cleaned up');
  }
}

describe('sliced work', () => {
  it('runs to the end at once', () => {
    const log: string[] = [];
    expect(runToEnd(counting(3, log))).toBe(3);
    expect(log).toEqual(['step0', 'step1', 'step2', 'cleaned up']);
  });

  it('lets other work run between slices', async () => {
    const log: string[] = [];
    const done = runInSlices(counting(4, log), { sliceMillis: 0 });
    setImmediate(() => log.push('other'));
    expect(await done).toBe(4);
    expect(log.indexOf('other')).toBeGreaterThan(0);
    expect(log.indexOf('other')).toBeLessThan(log.indexOf('step3'));
  });

  it('runs one slice of all the queued work per turn, so what is read meanwhile waits for one slice, not one of each', async () => {
    const log: string[] = [];
    const a = runInSlices(counting(3, log, 'a'), { sliceMillis: 0 });
    const b = runInSlices(counting(3, log, 'b'), { sliceMillis: 0 });
    setImmediate(() => log.push('other'));
    expect(await Promise.all([a, b])).toEqual([3, 3]);
    expect(log.slice(0, 2)).toEqual(['a0', 'other']);
    // Turn by turn, the work takes its slices in turn.
    expect(log.filter((e) => e !== 'other' && e !== 'cleaned up')).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('stops when no longer wanted and runs the cleanup of the work', async () => {
    const log: string[] = [];
    let asked = 0;
    const stopped = runInSlices(counting(100, log), { sliceMillis: 0, stopReason: () => (++asked > 2 ? 'cancelled' : undefined) });
    await expect(stopped).rejects.toBeInstanceOf(WorkStopped);
    await expect(stopped).rejects.toMatchObject({ reason: 'cancelled' });
    expect(log).toEqual(['step0', 'step1', 'cleaned up']);
  });
});
