/**
 * `npm run bench`: every performance goal of the project measured in one run, each beside a bare
 * tree-sitter parse of the same text so that every figure is also a ratio.
 *   node bench/run.mjs [--quick] [--json] [--dist DIR] [--only inprocess,editor,memory,cli] [--tree DIR]
 * In-process figures use the sources; editor, memory and CLI figures start the built server and
 * CLI in `--dist` (default dist/), so the same bench measures an older build too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText, reparseChanges } from '../server/src/parsing/parser';
import { maskAnnotations } from '../server/src/parsing/mask';
import { analyzeParsed } from '../server/src/analysis';
import { clearFunctionCache } from '../server/src/engine/analyzeFile';
import { bareParser, bareFullParse, bareIncrementalParse } from './bare';
import { editorLatency, memoryWithOpenFiles, cliThroughput } from './lsp';
import { denseCorpus, mixedCorpus, driverTree } from './corpus';
import { stats, time, fmt, type Stat } from './stats';
import { collectSources } from '../server/src/cli/files';
import { DocumentStore } from '../server/src/documents';
import type { FileModel } from '../server/src/engine/fileModel';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const asJson = args.includes('--json');
const distArg = args.indexOf('--dist');
const DIST = path.resolve(distArg >= 0 ? args[distArg + 1] : path.join(__dirname, '..', 'dist'));
const treeArg = args.indexOf('--tree');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : undefined;
const wanted = (part: string) => !only || only.has(part);

type Row = { measure: string; value: string; ratio?: string; goal?: string };
const rows: Row[] = [];
const figures: Record<string, unknown> = {};

function row(measure: string, value: string, ratio?: string, goal?: string): void {
  rows.push({ measure, value, ratio, goal });
}

function ms(s: Stat): string {
  return `p50 ${fmt(s.median)}, p95 ${fmt(s.p95)}`;
}

function inProcess(name: string, text: string, runs: number, bareFull: Stat): void {
  const parse: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    clearFunctionCache();
    let parsed = parseText(text);
    parse.push(time(() => {
      parsed.tree.delete();
      parsed = parseText(text);
    }));
    cold.push(time(() => analyzeParsed(parsed, text)));
    parsed.tree.delete();
  }
  const p = stats(parse);
  const c = stats(cold);
  figures[`${name}.parseMs`] = p;
  figures[`${name}.coldAnalysisMs`] = c;
  row(`${name}: project parse (mask + tree-sitter)`, ms(p), `${(p.median / bareFull.median).toFixed(2)}× bare parse`);
  row(`${name}: cold analysis (no cache)`, ms(c), `${(c.median / bareFull.median).toFixed(2)}× bare parse`);
}

/** The project's incremental re-parse and warm re-analysis after a one-character edit. */
function editInProcess(text: string, runs: number, bareIncremental: Stat, bareFull: Stat): void {
  const reparse: number[] = [];
  const reanalyse: number[] = [];
  let parsed = parseText(text);
  analyzeParsed(parsed, text);
  let current = text;
  const anchor = 'status = STATUS_SUCCESS';
  for (let i = 0; i < runs * 3; i++) {
    const at = current.indexOf(anchor, Math.floor(current.length / 2)) + anchor.length;
    const next = `${current.slice(0, at)} ${current.slice(at)}`;
    // What the server does with an LSP incremental change: the range is known, nothing is diffed.
    const startRow = current.slice(0, at).split('\n').length - 1;
    reparse.push(time(() => {
      parsed = reparseChanges(parsed, [{ source: next, start: at, oldEnd: at, newEnd: at + 1, startRow }]);
    }));
    const p = parsed;
    reanalyse.push(time(() => analyzeParsed(p, next)));
    current = next;
  }
  parsed.tree.delete();
  const r = stats(reparse);
  const e = stats(reanalyse);
  const d = documentEdits(text, runs * 3);
  figures['dense.incrementalReparseMs'] = r;
  figures['dense.warmReanalysisMs'] = e;
  figures['dense.documentEdit'] = d;
  row('dense: project incremental re-parse, one-character edit', ms(r), `${(r.median / bareIncremental.median).toFixed(2)}× bare incremental parse`, '≤ 2×');
  row('dense: warm re-analysis after that edit (a new file model each time)', ms(e), `${(e.median / bareFull.median).toFixed(2)}× bare full parse`);
  row('dense: the server\'s own edit path in process (document store: re-parse, file model carried over, analysis)', `change ${ms(d.changeMs)}; model ${ms(d.modelMs)}; analysis ${ms(d.analysisMs)}`, `${((d.changeMs.median + d.modelMs.median + d.analysisMs.median) / bareFull.median).toFixed(2)}× bare full parse`);
}

/**
 * One-character edits through the server's document store, as `didChange` and the diagnostics
 * run them (no JSON-RPC, no serialising): the change (incremental re-parse), the file model
 * (carrying over what unchanged functions read) and the analysis with lazy fixes.
 */
function documentEdits(text: string, edits: number): { changeMs: Stat; modelMs: Stat; analysisMs: Stat } {
  const store = new DocumentStore();
  const uri = 'file:///bench/dense.c';
  let stored = store.open(uri, 'c', 1, text);
  analyzeParsed(stored.parsed, text, { lazyFixes: true, model: store.fileModel(stored) });
  const change: number[] = [];
  const model: number[] = [];
  const analysis: number[] = [];
  const anchor = 'status = STATUS_SUCCESS';
  for (let v = 2; v < edits + 2; v++) {
    const current = stored.document.getText();
    const at = current.indexOf(anchor, Math.floor(current.length / 2)) + anchor.length;
    const position = stored.document.positionAt(at);
    const insert = v % 2 === 0;
    const range = { start: position, end: insert ? position : { line: position.line, character: position.character + 1 } };
    change.push(time(() => {
      stored = store.change(uri, v, [{ range, text: insert ? ' ' : '' }])!;
    }));
    let m: FileModel | undefined;
    model.push(time(() => {
      m = store.fileModel(stored);
    }));
    analysis.push(time(() => analyzeParsed(stored.parsed, stored.document.getText(), { lazyFixes: true, model: m })));
  }
  store.dispose();
  return { changeMs: stats(change), modelMs: stats(model), analysisMs: stats(analysis) };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(DIST, 'server.js'))) throw new Error(`${DIST}/server.js is missing: run npm run build first`);
  await initParser();
  const runs = quick ? 3 : 9;
  const dense = denseCorpus(10_000);
  const mixed = mixedCorpus(10_000);
  const bare = await bareParser(DIST);
  // The yardstick parses the masked text (annotations blanked, same length), as the server does:
  // on raw SAL-annotated text tree-sitter recovers from errors and re-parses nearly everything.
  const masked = (t: string) => maskAnnotations(t).text;
  const bareDense = bareFullParse(bare, masked(dense), runs);
  const anchorAt = dense.indexOf('status = STATUS_SUCCESS', Math.floor(dense.length / 2)) + 'status = STATUS_SUCCESS'.length;
  const bareInc = bareIncrementalParse(bare, masked(dense), anchorAt, runs * 3);
  figures['dense.lines'] = dense.split('\n').length;
  figures['dense.bareParseMs'] = bareDense;
  figures['dense.bareIncrementalParseMs'] = bareInc;
  row(`dense (${dense.split('\n').length} lines, every function uses ECPs): bare tree-sitter full parse of the masked text`, ms(bareDense));
  row('dense: bare tree-sitter incremental parse, one-character edit', ms(bareInc));

  if (wanted('inprocess')) {
    inProcess('dense', dense, runs, bareDense);
    editInProcess(dense, runs, bareInc, bareDense);
    const bareMixed = bareFullParse(bare, masked(mixed), runs);
    figures['mixed.bareParseMs'] = bareMixed;
    row(`mixed (${mixed.split('\n').length} lines, one function in ten uses ECPs): bare full parse`, ms(bareMixed));
    inProcess('mixed', mixed, runs, bareMixed);
  }

  if (wanted('editor')) {
    const lat = await editorLatency(DIST, dense, runs);
    figures['editor'] = lat;
    row('editor: didOpen → first publishDiagnostics (fresh server, dense file)', ms(lat.firstOpenMs), `${(lat.firstOpenMs.median / bareDense.median).toFixed(2)}× bare parse`, '≤ 1.5×');
    row('editor: server spawn → initialize answered', ms(lat.startMs));
    row('editor: server spawn → first publishDiagnostics of the dense file opened at once', ms(lat.startToFirstMs), `${(lat.startToFirstMs.median / bareDense.median).toFixed(2)}× bare parse`);
    row('editor: didOpen → first publishDiagnostics of another such file, same server (warm)', ms(lat.warmOpenMs), `${(lat.warmOpenMs.median / bareDense.median).toFixed(2)}× bare parse; first open − this = first-use cost`);
    row('editor: one-character edit → publishDiagnostics (debounce 0)', ms(lat.editMs), undefined, 'p95 ≤ 20 ms');
    row('editor: hover on a routine name', ms(lat.hoverMs), undefined, 'p95 ≤ 10 ms');
    row('editor: completion in a Flags argument', ms(lat.completionMs), undefined, 'p95 ≤ 10 ms');
  }

  if (wanted('memory')) {
    const files = Array.from({ length: 200 }, (_, i) => denseCorpus(500, `f${i}`));
    const mem = await memoryWithOpenFiles(DIST, files);
    figures['memory'] = mem;
    row(`memory: server RSS with ${mem.files} files open (${(mem.totalKiB / 1024).toFixed(1)} MiB of ECP-dense C, 500 lines each)`, `${mem.rssMiB.toFixed(0)} MiB (idle ${mem.baseMiB.toFixed(0)} MiB)`, undefined, '≤ 150 MB');
  }

  if (wanted('cli')) {
    // `--tree DIR` measures a real source tree instead of the generated one (bare parse: C grammar).
    const tree = treeArg >= 0 ? collectSources([args[treeArg + 1]]).files.map((f) => f.text) : driverTree(50);
    const maskedTree = tree.map(masked);
    const bareTree: number[] = [];
    for (let i = 0; i < runs; i++) bareTree.push(time(() => maskedTree.forEach((t) => bare.parse(t)?.delete())));
    const bt = stats(bareTree);
    // JSON builds and verifies quick fixes; text (as msvc and SARIF) builds none.
    const configs = [{ jobs: 1, format: 'json' as const }, { jobs: 2, format: 'json' as const }, { jobs: 1, format: 'text' as const }, { jobs: 2, format: 'text' as const }];
    const cli = cliThroughput(DIST, tree, quick ? 2 : 5, configs, treeArg >= 0 ? path.resolve(args[treeArg + 1]) : undefined);
    figures['cli'] = { ...cli, bareParseMs: bt };
    for (const j of cli.jobs) {
      row(`CLI: ecp-lens check --jobs ${j.jobs} --format ${j.format} on ${cli.files} files (${cli.mib.toFixed(2)} MiB)`, `${ms(j.checkMs)}; ${j.mibPerSecond.toFixed(2)} MiB/s`, `${(j.checkMs.median / bt.median).toFixed(2)}× bare parse of the same files`, '≤ 1.5× on 2 cores, ≥ 2 MB/s');
    }
    row('CLI: start-up, check of an empty file', ms(cli.startupMs), undefined, '≤ 200 ms');
    row('CLI: --version', ms(cli.versionMs));
  }

  if (asJson) {
    console.log(JSON.stringify({ dist: DIST, runs, figures }, null, 2));
    return;
  }
  console.log(`ECP Lens benchmarks (${runs} runs; server and CLI from ${DIST})\n`);
  console.log('| measure | value | ratio | goal |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.measure} | ${r.value} | ${r.ratio ?? ''} | ${r.goal ?? ''} |`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
