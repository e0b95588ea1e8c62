/**
 * dist/cli-worker.js: one worker of `ecp-lens check --jobs N`. It parses and analyses the files
 * the main thread hands it, one at a time, with the same `ProgramRun` as `--jobs 1`. An exception
 * in one file is reported with its index; a crash (out of memory) ends the thread and the main
 * thread names the file it held.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { initParser, loadLanguage } from '../parsing/parser';
import { ProgramRun } from './programRun';
import { buildFromArgs } from './build';
import { sharedTextReader, type FromWorker, type RunMessage, type ToWorker, type WorkerData } from './workerProtocol';
import type { RunShare } from '../engine/analyzeFile';

const setup = workerData as WorkerData;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const run = new ProgramRun(setup.paths, sharedTextReader(setup), buildFromArgs(setup.build), setup.incomplete, setup.fixes, setup.maxPaths);
const claims = new Int32Array(setup.claims);
const signals = new Int32Array(setup.signals);

/** The share of file i's functions for the worker that analyses it. */
function ownShare(i: number): RunShare {
  let counted = false;
  const arrived = new Map<number, RunMessage>();
  return {
    next(count) {
      if (!counted) {
        counted = true;
        Atomics.store(claims, 2 * i + 1, count);
        if (count > 1) send({ kind: 'counted', index: i });
      }
      return Atomics.add(claims, 2 * i, 1);
    },
    take(fn, key) {
      // A helper took it: it will arrive (a helper that fails ends the whole run).
      for (;;) {
        const m = arrived.get(fn);
        if (m) return m.key === key ? m.run : undefined;
        const seen = Atomics.load(signals, setup.id);
        const got = receiveMessageOnPort(setup.inbox) as { message: RunMessage } | undefined;
        if (got) arrived.set(got.message.fn, got.message);
        else Atomics.wait(signals, setup.id, seen, 1000);
      }
    },
  };
}

/** The share of file i's functions for a helper: none if it counted other functions than the file's worker. */
function helperShare(i: number): Pick<RunShare, 'next'> & { deliver(fn: number, key: string, run: RunMessage['run']): void } {
  return {
    next: (count) => (Atomics.load(claims, 2 * i + 1) === count ? Atomics.add(claims, 2 * i, 1) : Infinity),
    deliver: (fn, key, r) => send({ kind: 'run', index: i, fn, key, run: r }),
  };
}

async function start(): Promise<void> {
  await initParser();
  if (setup.cpp) await loadLanguage('cpp');
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'program') {
      run.setProgram(m.facts);
      return;
    }
    try {
      if (m.kind === 'facts') send({ kind: 'facts', index: m.index, facts: run.facts(m.index) });
      else if (m.kind === 'join') {
        run.help(m.index, helperShare(m.index));
        send({ kind: 'joined', index: m.index });
      } else send({ kind: 'result', index: m.index, result: run.analyse(m.index, ownShare(m.index)) });
    } catch (err) {
      send({ kind: 'failed', index: m.index, message: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  send({ kind: 'ready' });
}

start().catch((err: unknown) => {
  send({ kind: 'failed', index: -1, message: err instanceof Error ? err.message : String(err) });
});
