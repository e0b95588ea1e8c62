/**
 * Long computations written as generators that `yield` at safe points (between paths, functions
 * or simulated runs). Run to the end at once (CLI, tests) or in time slices that let the server
 * answer other requests in between and stop when the work is no longer wanted.
 */
export type Sliced<T> = Generator<void, T, void>;

/** Runs the work to its end without pausing. */
export function runToEnd<T>(work: Sliced<T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** Runs `work`, adding to `clock.ms` only the time spent in it, not while it is paused. */
export function* timed<T>(work: Sliced<T>, clock: { ms: number }): Sliced<T> {
  for (;;) {
    const start = Date.now();
    const r = work.next();
    clock.ms += Date.now() - start;
    if (r.done) return r.value;
    yield;
  }
}

/** Thrown by `runInSlices` when `stillWanted` says no; the caller maps it to a protocol error. */
export class WorkStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'outdated') {
    super(reason === 'cancelled' ? 'the request was cancelled' : 'the document changed while the work ran');
  }
}

export interface SliceOptions {
  /** Longest stretch of work between two pauses. */
  sliceMillis?: number;
  /** Asked before each slice; a reason stops the work (its `finally` blocks run). */
  stopReason?: () => 'cancelled' | 'outdated' | undefined;
}

const DEFAULT_SLICE_MS = 8;

/** Runs the work in slices, pausing with `setImmediate` so queued messages are read and answered. */
export async function runInSlices<T>(work: Sliced<T>, options: SliceOptions = {}): Promise<T> {
  const sliceMillis = options.sliceMillis ?? DEFAULT_SLICE_MS;
  try {
    for (;;) {
      const reason = options.stopReason?.();
      if (reason) throw new WorkStopped(reason);
      const sliceEnd = Date.now() + sliceMillis;
      do {
        const r = work.next();
        if (r.done) return r.value;
      } while (Date.now() < sliceEnd);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    work.return(undefined as T);
  }
}

interface Token {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/**
 * Waits for work that others may share: a cancellation of this caller's token rejects at once
 * with WorkStopped('cancelled'), and the work goes on for the others.
 */
export function untilCancelled<T>(work: Promise<T>, token: Token): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new WorkStopped('cancelled'));
  return new Promise<T>((resolve, reject) => {
    const listening = token.onCancellationRequested(() => reject(new WorkStopped('cancelled')));
    work.then(resolve, reject).finally(() => listening.dispose());
  });
}
