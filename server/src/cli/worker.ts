/**
 * dist/cli-worker.js: one worker of `ecp-lens check --jobs N`. It parses and analyses the files
 * the main thread hands it, one at a time, with the same `ProgramRun` as `--jobs 1`. An exception
 * in one file is reported with its index; a crash (out of memory) ends the thread and the main
 * thread names the file it held.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initParser, loadLanguage } from '../parsing/parser';
import { ProgramRun } from './programRun';
import { buildFromArgs } from './build';
import { sharedTextReader, type FromWorker, type ToWorker, type WorkerSetup } from './workerProtocol';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const run = new ProgramRun(setup.paths, sharedTextReader(setup), buildFromArgs(setup.build), setup.incomplete, setup.fixes, setup.maxPaths);

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
      else send({ kind: 'result', index: m.index, result: run.analyse(m.index) });
    } catch (err) {
      send({ kind: 'failed', index: m.index, message: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  send({ kind: 'ready' });
}

start().catch((err: unknown) => {
  send({ kind: 'failed', index: -1, message: err instanceof Error ? err.message : String(err) });
});
