/**
 * `ecp-lens check --jobs N` (N > 1): N worker threads run the two passes of `ProgramRun`.
 * Pass 1 hands out whole folders, largest first; each worker keeps the parses it made, so in pass 2 it
 * analyses its own files first and only then takes (and re-parses) files from the busiest other
 * worker. A worker left with no file to take joins the file another is still analysing and runs
 * its functions not yet taken (a driver's create path is one file, and most of the run's time).
 * Results land by file index, so the report is the same whatever ran where. A worker that
 * throws or dies (out of memory) stops the run with the file it held named: exit 2, no report.
 */
import * as path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { InputError, type SourceFile } from './files';
import type { BuildArgs } from './build';
import type { FileFacts, FileResult } from './programRun';
import { shareTexts, type FromWorker, type RunMessage, type ToWorker, type WorkerData, type WorkerSetup } from './workerProtocol';
import type { Progress } from './progress';

export interface PoolOptions {
  jobs: number;
  progress: Progress;
  /** Old-generation heap limit of each worker in MiB (`--worker-heap`); default: V8's. */
  heapMiB?: number;
  /** Some input is C++ by its name or its compile command. */
  cpp: boolean;
  build: BuildArgs;
  /** Why the files are not the whole program, if they are not. */
  incomplete?: string;
  /** The report prints quick fixes: the workers build and verify them. */
  fixes: boolean;
  /** `--max-paths`, when given. */
  maxPaths?: number;
  /** The worker script (default: cli-worker.js beside this bundle). */
  script?: string;
  /** Told of each function run by a worker that helped with another's file (tests). */
  onHelped?: (file: number, fn: number) => void;
}

interface Slot {
  worker: Worker;
  /** Its number: its place in `signals`. */
  id: number;
  /** Where the runs helpers made of its file's functions are put. */
  inbox: MessagePort;
  /** The file it is working on (-1: none). */
  busy: number;
  /** The file of another worker whose functions it is running (-1: none). */
  helping: number;
  /** The files it has helped with (each once). */
  helped: Set<number>;
  /** Files whose parse it kept from pass 1: pass 2 gives them to it first. */
  own: number[];
  /** Pass 1: the files of its current folder not yet handed out. */
  group: number[];
}

/**
 * The files by folder, each folder's largest first, the largest folders first. Pass 1 hands out a
 * folder to one worker: a driver's files call each other, so the callees' parses a worker keeps
 * are mostly its own (a callee another worker parsed is parsed again here).
 */
function folderGroups(files: SourceFile[]): number[][] {
  const byFolder = new Map<string, number[]>();
  files.forEach((f, i) => {
    const dir = path.dirname(path.resolve(f.path));
    const list = byFolder.get(dir);
    if (list) list.push(i);
    else byFolder.set(dir, [i]);
  });
  const size = (i: number) => files[i].text.length;
  const total = (g: number[]) => g.reduce((n, i) => n + size(i), 0);
  const groups = [...byFolder.values()].map((g) => g.sort((a, b) => size(b) - size(a) || a - b));
  return groups.sort((a, b) => total(b) - total(a) || a[0] - b[0]);
}

/** Needs at least two files (one file alone is analysed in process). */
export function analyseInWorkers(files: SourceFile[], opts: PoolOptions): Promise<FileResult[]> {
  const n = files.length;
  const { texts, offsets } = shareTexts(files.map((f) => f.text));
  const claims = new Int32Array(new SharedArrayBuffer(8 * n));
  const signals = new Int32Array(new SharedArrayBuffer(4 * opts.jobs));
  const setup: WorkerSetup = { paths: files.map((f) => f.path), texts, offsets, cpp: opts.cpp, build: opts.build, incomplete: opts.incomplete, fixes: opts.fixes, maxPaths: opts.maxPaths, claims: claims.buffer as SharedArrayBuffer, signals: signals.buffer as SharedArrayBuffer };
  const groups = folderGroups(files);
  const facts: FileFacts[] = new Array(n);
  const results: FileResult[] = new Array(n);
  let factsLeft = n;
  let resultsLeft = n;
  let phase: 'facts' | 'analyse' = 'facts';
  const script = opts.script ?? path.join(__dirname, 'cli-worker.js');
  const slots: Slot[] = [];

  return new Promise<FileResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      for (const s of slots) {
        void s.worker.terminate();
        s.inbox.close();
      }
      opts.progress.done();
      if (error) reject(error);
      else resolve(results);
    };
    const fail = (slot: Slot, what: string) => {
      const held = slot.busy >= 0 ? slot.busy : slot.helping;
      const file = held >= 0 ? files[held].path : undefined;
      finish(new InputError(file ? `a worker failed while ${phase === 'facts' ? 'reading' : 'analysing'} ${file}: ${what}` : `a worker failed: ${what}`));
    };
    const post = (slot: Slot, m: ToWorker) => slot.worker.postMessage(m);
    const next = (slot: Slot) => {
      slot.busy = -1;
      if (phase === 'facts') {
        // The rest of its folder, else the next folder, else a file of the busiest other folder.
        let i = slot.group.shift();
        if (i === undefined && groups.length > 0) {
          slot.group = groups.shift()!;
          i = slot.group.shift();
        }
        if (i === undefined) i = slots.reduce((a, b) => (b.group.length > a.group.length ? b : a)).group.pop();
        if (i !== undefined) {
          slot.busy = i;
          post(slot, { kind: 'facts', index: i });
        }
        return;
      }
      let i = slot.own.shift();
      if (i === undefined) {
        const busiest = slots.reduce((a, b) => (b.own.length > a.own.length ? b : a));
        i = busiest.own.pop();
      }
      if (i !== undefined) {
        slot.busy = i;
        post(slot, { kind: 'analyse', index: i });
        return;
      }
      // No file left to take: the file of another worker with the most functions not yet taken.
      let join = -1;
      let most = 0;
      for (const other of slots) {
        const f = other.busy;
        if (other === slot || f < 0 || slot.helped.has(f)) continue;
        const left = Atomics.load(claims, 2 * f + 1) - Atomics.load(claims, 2 * f);
        if (left > most) [join, most] = [f, left];
      }
      if (join >= 0) {
        slot.helping = join;
        slot.helped.add(join);
        post(slot, { kind: 'join', index: join });
      }
    };
    const idle = (slot: Slot) => slot.busy < 0 && slot.helping < 0;
    /** A helper's run, put in the inbox of the worker that analyses its file, which is woken. */
    const forward = (index: number, m: RunMessage) => {
      const own = slots.find((s) => s.busy === index);
      if (!own) return;
      opts.onHelped?.(index, m.fn);
      own.inbox.postMessage(m);
      Atomics.add(signals, own.id, 1);
      Atomics.notify(signals, own.id);
    };
    const startAnalysis = () => {
      phase = 'analyse';
      for (const s of slots) post(s, { kind: 'program', facts });
      for (const s of slots) next(s);
    };
    const onMessage = (slot: Slot, m: FromWorker) => {
      if (settled) return;
      if (m.kind === 'failed') return fail(slot, m.index < 0 ? m.message : `internal error: ${m.message}`);
      if (m.kind === 'ready') return next(slot);
      if (m.kind === 'run') return forward(m.index, { fn: m.fn, key: m.key, run: m.run });
      if (m.kind === 'counted') {
        for (const s of slots) if (phase === 'analyse' && idle(s)) next(s);
        return;
      }
      if (m.kind === 'joined') {
        slot.helping = -1;
        return next(slot);
      }
      if (m.kind === 'facts') {
        facts[m.index] = m.facts;
        slot.own.push(m.index);
        opts.progress.tick('indexing');
        if (--factsLeft === 0) startAnalysis();
        else next(slot);
        return;
      }
      results[m.index] = m.result;
      opts.progress.tick('analysing');
      if (--resultsLeft === 0) finish(undefined);
      else next(slot);
    };
    opts.progress.begin(n);
    for (let k = 0; k < opts.jobs; k++) {
      const resourceLimits = opts.heapMiB ? { maxOldGenerationSizeMb: opts.heapMiB } : undefined;
      let worker: Worker;
      const { port1: inbox, port2 } = new MessageChannel();
      try {
        const data: WorkerData = { ...setup, id: k, inbox: port2 };
        worker = new Worker(script, { workerData: data, transferList: [port2], resourceLimits, stdout: false, stderr: false });
      } catch (err) {
        return finish(new InputError(`cannot start a worker (${script}): ${err instanceof Error ? err.message : String(err)}`));
      }
      const slot: Slot = { worker, id: k, inbox, busy: -1, helping: -1, helped: new Set(), own: [], group: [] };
      slots.push(slot);
      worker.on('message', (m: FromWorker) => onMessage(slot, m));
      worker.on('error', (err: Error & { code?: string }) => fail(slot, describeCrash(err)));
      worker.on('exit', (code) => {
        if (!settled) fail(slot, `it stopped with exit code ${code}`);
      });
    }
  });
}

function describeCrash(err: Error & { code?: string }): string {
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'it ran out of memory (try --jobs 1, or a larger --worker-heap)';
  if (err.code === 'MODULE_NOT_FOUND' || /Cannot find module/.test(err.message)) return `its script is missing (${err.message.split('\n')[0]}); reinstall ecp-lens`;
  return err.message.split('\n')[0];
}
