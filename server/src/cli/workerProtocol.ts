/**
 * Messages between `ecp-lens check` and its workers (dist/cli-worker.js). The sources travel once,
 * as UTF-16 code units in one SharedArrayBuffer every worker reads (exact for any JS string);
 * each file then costs a message of a few bytes each way plus its findings.
 *
 * A worker left without files helps one that is still analysing: it joins the file and takes its
 * functions one at a time from a counter the two share (`claims`), and its runs travel to the
 * file's own worker through the main thread, into that worker's `inbox` (read synchronously: the
 * owner waits for them inside its analysis; `signals` wakes it).
 */
import type { MessagePort } from 'node:worker_threads';
import type { FileFacts, FileResult } from './programRun';
import type { BuildArgs } from './build';
import type { SharedRun } from '../engine/analyzeFile';

export interface WorkerSetup {
  paths: string[];
  /** Sources, back to back, UTF-16LE. */
  texts: SharedArrayBuffer;
  /** Byte offset of file i's text is offsets[i], its end offsets[i + 1]. */
  offsets: number[];
  /** Load the C++ grammar first (a C++ file is among the inputs, as `--jobs 1` does). */
  cpp: boolean;
  /** `--compile-commands`, `-I`, `-D`: each worker builds the same configuration from them. */
  build: BuildArgs;
  /** Why the files are not the whole program (see `ProgramRun`), if they are not. */
  incomplete?: string;
  /** The report prints quick fixes (see `ProgramRun`). */
  fixes: boolean;
  /** `--max-paths` (see `ProgramRun`). */
  maxPaths?: number;
  /** Int32 pairs, one per file: the next function to take, and how many there are (0: not yet counted). */
  claims: SharedArrayBuffer;
  /** Int32 per worker, bumped when a run is put in its inbox. */
  signals: SharedArrayBuffer;
}

/** What one worker is given: the common setup, its number and its inbox. */
export interface WorkerData extends WorkerSetup {
  id: number;
  inbox: MessagePort;
}

/** A run made by a helper, on its way to the file's own worker. */
export interface RunMessage {
  fn: number;
  key: string;
  run: SharedRun;
}

export type ToWorker =
  | { kind: 'facts'; index: number }
  | { kind: 'program'; facts: FileFacts[] }
  | { kind: 'analyse'; index: number }
  /** Run functions of file `index`, which another worker is analysing, while any is left. */
  | { kind: 'join'; index: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'facts'; index: number; facts: FileFacts }
  | { kind: 'result'; index: number; result: FileResult }
  /** File `index` counted more than one function to run: a worker without work may join it. */
  | { kind: 'counted'; index: number }
  /** A helper's run of a function of file `index`, for its own worker. */
  | ({ kind: 'run'; index: number } & RunMessage)
  /** The helper took the last function of file `index` it could. */
  | { kind: 'joined'; index: number }
  | { kind: 'failed'; index: number; message: string };

/** Packs the sources for `WorkerSetup`. */
export function shareTexts(texts: string[]): { texts: SharedArrayBuffer; offsets: number[] } {
  const offsets = [0];
  for (const t of texts) offsets.push(offsets[offsets.length - 1] + t.length * 2);
  const shared = new SharedArrayBuffer(offsets[offsets.length - 1]);
  const view = Buffer.from(shared);
  texts.forEach((t, i) => view.write(t, offsets[i], 'utf16le'));
  return { texts: shared, offsets };
}

/** The reader of packed sources, keeping the most recently read few decoded. */
export function sharedTextReader(setup: Pick<WorkerSetup, 'texts' | 'offsets'>): (i: number) => string {
  const view = Buffer.from(setup.texts);
  const recent = new Map<number, string>();
  return (i) => {
    let text = recent.get(i);
    if (text === undefined) {
      text = view.toString('utf16le', setup.offsets[i], setup.offsets[i + 1]);
      if (recent.size >= 32) recent.delete(recent.keys().next().value!);
      recent.set(i, text);
    }
    return text;
  };
}
