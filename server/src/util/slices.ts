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

/** A piece of sliced work: runs one slice, true when it has ended (answered or stopped). */
type Job = () => boolean;

/**
 * All sliced work of the process shares one turn of the event loop: each turn runs one slice of
 * the job at the head of the queue, which goes to the back if it has more to do. Messages are read
 * and handled between turns (vscode-jsonrpc handles one per turn), so a hover queued behind five
 * simulations waits for about one slice per message ahead of it, not one slice of every job for
 * each of them.
 */
const jobs: Job[] = [];
let turnPending = false;

function nextTurn(): void {
  if (turnPending || jobs.length === 0) return;
  turnPending = true;
  setImmediate(() => {
    turnPending = false;
    const job = jobs.shift();
    if (job && !job()) jobs.push(job);
    nextTurn();
  });
}

/**
 * Runs the work in slices of the process's shared turn (see `jobs`); the first slice too waits
 * for its turn, so a request's handler returns at once and the messages behind it are read.
 */
export function runInSlices<T>(work: Sliced<T>, options: SliceOptions = {}): Promise<T> {
  const sliceMillis = options.sliceMillis ?? DEFAULT_SLICE_MS;
  return new Promise<T>((resolve, reject) => {
    jobs.push(() => {
      try {
        const reason = options.stopReason?.();
        if (reason) {
          // Runs the work's `finally` blocks (a pinned document is unpinned).
          work.return(undefined as T);
          reject(new WorkStopped(reason));
          return true;
        }
        const sliceEnd = Date.now() + sliceMillis;
        do {
          const r = work.next();
          if (r.done) {
            resolve(r.value);
            return true;
          }
        } while (Date.now() < sliceEnd);
        return false;
      } catch (err) {
        reject(err);
        return true;
      }
    });
    nextTurn();
  });
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
