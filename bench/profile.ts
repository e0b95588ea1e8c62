/**
 * Where the time goes: CPU profiles of the built server (unminified, `npm run build`) over
 * JSON-RPC, and a summary of self time per function.
 *
 *   BENCH_ENTRY=bench/profile.ts node bench/run.mjs [--mode open|edit] [--edits N] [--top N] [--dir DIR] [--node-args '...']
 *   BENCH_ENTRY=bench/profile.ts node bench/run.mjs --summarise FILE.cpuprofile [--top N]
 *
 * `open`: a fresh server, didOpen of the dense 10,000-line file, first diagnostics, exit.
 * `edit`: the same, then N one-character edits each awaited to its publishDiagnostics.
 * The profile is written by the server process itself (`--cpu-prof`) when it exits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol/node';
import { startLsp } from './lsp';
import { denseCorpus } from './corpus';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const MODE = option('--mode', 'edit');
const EDITS = Number(option('--edits', '60'));
const TOP = Number(option('--top', '30'));
const DIR = path.resolve(option('--dir', fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-prof-'))));
const DIST = path.resolve(option('--dist', path.join(__dirname)));
/** Extra flags for the server's node (`--node-args '--max-semi-space-size=16'`), to compare V8 settings. */
const NODE_ARGS = option('--node-args', '').split(' ').filter(Boolean);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (name, file, line), largest first, in ms; and the total. */
export function summarise(profile: Profile): { total: number; rows: { ms: number; what: string }[]; inclusive: { ms: number; what: string }[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const byWhat = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    const what = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    byWhat.set(what, (byWhat.get(what) ?? 0) + ms);
    total += ms;
  }
  const rows = [...byWhat].map(([what, ms]) => ({ what, ms })).sort((a, b) => b.ms - a.ms);
  return { total, rows, inclusive: inclusiveTimes(profile, self, byId) };
}

/** Time with callees per function: a sample counts once for every distinct function on its stack. */
function inclusiveTimes(profile: Profile, self: Map<number, number>, byId: Map<number, ProfileNode>): { ms: number; what: string }[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const what = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(what)) continue;
      seen.add(what);
      totals.set(what, (totals.get(what) ?? 0) + ms);
    }
  }
  return [...totals].map(([what, ms]) => ({ what, ms })).sort((a, b) => b.ms - a.ms);
}

function report(file: string): void {
  const { total, rows, inclusive } = summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
  console.log(`${file}: ${total.toFixed(0)} ms sampled\n\nself time:`);
  const line = (r: { ms: number; what: string }) => console.log(`${r.ms.toFixed(1).padStart(8)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.what}`);
  rows.slice(0, TOP).forEach(line);
  console.log('\nwith callees (server code only):');
  inclusive.filter((r) => r.what.includes('server.js')).slice(0, TOP).forEach(line);
}

async function main(): Promise<void> {
  if (args.includes('--summarise')) return report(option('--summarise', ''));
  fs.mkdirSync(DIR, { recursive: true });
  const server = await startLsp(DIST, { diagnosticsDelay: 0, workspaceIndexing: false }, [], [...NODE_ARGS, '--cpu-prof', `--cpu-prof-dir=${DIR}`]);
  const uri = 'file:///bench/dense.c';
  let text = denseCorpus(10_000);
  const t = performance.now();
  const first = server.published(uri);
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
  await first;
  console.log(`first diagnostics after ${(performance.now() - t).toFixed(0)} ms`);
  if (MODE === 'edit') {
    const anchor = 'status = STATUS_SUCCESS';
    const started = performance.now();
    for (let v = 2; v < EDITS + 2; v++) {
      const at = text.indexOf(anchor, Math.floor(text.length / 2)) + anchor.length;
      const line = text.slice(0, at).split('\n').length - 1;
      const character = at - (text.lastIndexOf('\n', at - 1) + 1);
      const insert = v % 2 === 0;
      const range = { start: { line, character }, end: { line, character: character + (insert ? 0 : 1) } };
      text = insert ? `${text.slice(0, at)} ${text.slice(at)}` : `${text.slice(0, at)}${text.slice(at + 1)}`;
      const done = server.published(uri, v);
      await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ range, text: insert ? ' ' : '' }] });
      await done;
    }
    console.log(`${EDITS} edits: ${((performance.now() - started) / EDITS).toFixed(1)} ms each on average`);
  }
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  await server.connection.sendRequest(ShutdownRequest.type);
  await server.connection.sendNotification(ExitNotification.type);
  await exited;
  const file = fs.readdirSync(DIR).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(DIR, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  report(file);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
