/**
 * Hover latency while the server indexes a large workspace: the real `dist/server.js --stdio` is
 * started on a generated tree of 5,000 files, one document is opened, and hovers are sent one
 * after another until the server reports that indexing is done.
 *
 *   BENCH_ENTRY=bench/indexing.ts node bench/run.mjs [--files N] [--lines N] [--dist DIR] [--json]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { mixedCorpus } from './corpus';
import { startLsp } from './lsp';
import { stats, fmt } from './stats';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const FILES = Number(option('--files', '5000'));
const LINES = Number(option('--lines', '40'));
const DIST = path.resolve(option('--dist', 'dist'));

function workspace(files: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-lens-index-'));
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `dir${Math.floor(i / 100)}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `file${i}.c`), mixedCorpus(LINES, `w${i}_`));
  }
  return root;
}

async function main(): Promise<void> {
  const root = workspace(FILES);
  const bytes = fs.readdirSync(root).reduce((n, d) => n + fs.readdirSync(path.join(root, d)).reduce((m, f) => m + fs.statSync(path.join(root, d, f)).size, 0), 0);
  const started = performance.now();
  const server = await startLsp(DIST, { diagnosticsDelay: 0 }, [pathToFileURL(root).toString()]);
  let indexedAt = 0;
  const ready = new Promise<void>((resolve) => server.connection.onNotification('ecpLens/status', (s: { state: string }) => {
    if (s.state !== 'ready') return;
    indexedAt = performance.now();
    resolve();
  }));
  let indexing = true;
  void ready.then(() => (indexing = false));
  const uri = 'file:///bench/open.c';
  const text = 'NTSTATUS F(PFLT_FILTER Filter, PECP_LIST *List)\n{\n    return FltAllocateExtraCreateParameterList(Filter, 0, List);\n}\n';
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
  const samples: number[] = [];
  let peakMiB = 0;
  while (indexing) {
    const t = performance.now();
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 16 } });
    samples.push(performance.now() - t);
    if (samples.length % 20 === 0) peakMiB = Math.max(peakMiB, server.rssMiB());
  }
  await ready;
  // The same hover once the index is built: what indexing adds is the difference.
  const idle: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 16 } });
    idle.push(performance.now() - t);
  }
  const s = stats(samples);
  const q = stats(idle);
  const figures = { files: FILES, mebibytes: bytes / 1048576, indexingMs: indexedAt - started, hovers: s.n, hoverP50Ms: s.median, hoverP95Ms: s.p95, idleHoverP50Ms: q.median, idleHoverP95Ms: q.p95, peakRssMiB: peakMiB, rssAfterMiB: server.rssMiB() };
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
  if (args.includes('--json')) console.log(JSON.stringify(figures));
  else {
    console.log(`indexing ${FILES} files of ${LINES} lines (${figures.mebibytes.toFixed(1)} MiB): ${fmt(figures.indexingMs)}, peak RSS ${peakMiB.toFixed(0)} MiB`);
    console.log(`hover during indexing: p50 ${fmt(s.median)}, p95 ${fmt(s.p95)} over ${s.n} hovers (goal p95 <= 10 ms)`);
    console.log(`hover once indexed: p50 ${fmt(q.median)}, p95 ${fmt(q.p95)} over ${q.n} hovers; RSS ${figures.rssAfterMiB.toFixed(0)} MiB`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
