/**
 * Worker thread that reads and parses the workspace's sources for the background index, so the
 * server's own thread stays free for requests while a large workspace is indexed. It receives the
 * file list once, answers with the facts of each file in batches, and ends when the list is done
 * (its parser and its memory go with it). Built as `dist/indexWorker.js`.
 */
import { parentPort } from 'node:worker_threads';
import { loadLanguage } from './parsing/parser';
import { readSourceFile } from './util/safeRead';
import { factsOf, factsViewOf, notIndexed } from './workspace';
import type { IndexJob, IndexReply, IndexedFile } from './indexJob';

/** Facts are sent at least this often (ms), so progress moves and little is lost on a crash. */
const BATCH_MS = 20;

async function run(job: IndexJob): Promise<void> {
  await loadLanguage('c');
  let batch: IndexedFile[] = [];
  let sent = Date.now();
  const flush = (): void => {
    if (batch.length === 0) return;
    parentPort!.postMessage({ type: 'batch', files: batch } satisfies IndexReply);
    batch = [];
    sent = Date.now();
  };
  for (const [i, file] of job.files.entries()) {
    const read = readSourceFile(file, { roots: job.roots });
    if (!read.ok) {
      const reported = read.kind === 'too-large' || read.kind === 'outside' || read.kind === 'error';
      batch.push({ file, unread: reported ? read.reason : undefined });
    } else {
      // Read as its own analysis reads it: its headers, its build configuration and language.
      const view = factsViewOf(file, job.views?.[i]);
      try {
        if (view.language === 'cpp') await loadLanguage('cpp');
        batch.push({ file, facts: factsOf(read.text, view.language, view) });
      } catch (err) {
        // One file the parser cannot take must not stop the index; it leaves the index incomplete.
        batch.push({ file, unread: notIndexed(err) });
      }
    }
    if (Date.now() - sent >= BATCH_MS) flush();
  }
  flush();
  parentPort!.postMessage({ type: 'done' } satisfies IndexReply);
}

parentPort?.once('message', (job: IndexJob) => {
  run(job).catch((err) => parentPort!.postMessage({ type: 'failed', reason: String(err instanceof Error ? err.message : err) } satisfies IndexReply));
});
