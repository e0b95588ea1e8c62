import { describe, it, expect } from 'vitest';
import { hasBackwardGoto } from '../../../server/src/engine/liveness';

describe('backward gotos (every local stays live when a path can go back above itself)', () => {
  it('sees a retry written with a label above its goto', () => {
    expect(hasBackwardGoto('{ retry: status = Open(); if (status == STATUS_RETRY) goto retry; }')).toBe(true);
  });
  it('takes cleanup gotos to a label below as forward', () => {
    expect(hasBackwardGoto('{ if (!ok) goto Cleanup; work(); Cleanup: free(); }')).toBe(false);
  });
  it('counts a goto whose label it cannot find as backward (the safe answer)', () => {
    expect(hasBackwardGoto('{ goto Elsewhere; }')).toBe(true);
  });
  it('does not take case labels, default or C++ access specifiers for goto labels', () => {
    expect(hasBackwardGoto('{ switch (x) { default: goto Out; } Out: return; }')).toBe(false);
  });
  it('answers quickly for a body without goto', () => {
    expect(hasBackwardGoto('{ a: b(); }')).toBe(false);
  });
});
