/**
 * The signature a fork remembers for a pushed path stands for that path only until it is popped:
 * a path stepped since (changed) must be signed afresh, or two different states would merge and
 * a finding of the dropped one would be lost.
 */
import { describe, it, expect } from 'vitest';
import { rememberForkSignature, takeForkSignature, type PathState } from '../../../server/src/engine/state';
import type { LiveNames } from '../../../server/src/engine/liveness';

const path = () => ({}) as PathState;
const live = {} as LiveNames;

describe('fork signatures', () => {
  it('are taken once: the next pop of the same (since stepped) path finds none', () => {
    const p = path();
    rememberForkSignature(p, live, 'sig-a');
    expect(takeForkSignature(p, live)).toBe('sig-a');
    expect(takeForkSignature(p, live)).toBeUndefined();
  });

  it('count only under the liveness they were computed with, and only for their own path', () => {
    const p = path();
    rememberForkSignature(p, live, 'sig-a');
    expect(takeForkSignature(path(), live)).toBeUndefined();
    expect(takeForkSignature(p, {} as LiveNames)).toBeUndefined();
    expect(takeForkSignature(p, live)).toBeUndefined();
  });
});
