/**
 * Where `ecp-lens check --jobs 1` spends its time, file by file, in process:
 *   BENCH_ENTRY=bench/cliPhases.ts node bench/run.mjs DIR... [--text] [--top N]
 * Prints the time of each pass (facts, program set-up, analysis) and the files whose analysis
 * costs most, beside a bare parse of each (the CLI's own parse, masked), so that one slow file
 * that no number of workers can split is seen as such.
 */
import { initParser, loadLanguage, parseText } from '../server/src/parsing/parser';
import { collectSources } from '../server/src/cli/files';
import { ProgramRun } from '../server/src/cli/programRun';
import { fileView } from '../server/src/cli/build';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 10;
  const fixes = !args.includes('--text');
  const dirs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
  const { files } = collectSources(dirs);
  await initParser();
  if (files.some((f) => fileView(undefined, f.path).language === 'cpp')) await loadLanguage('cpp');
  const now = () => performance.now();
  const parseMs = files.map((f) => {
    const t = now();
    parseText(f.text, fileView(undefined, f.path).language).tree.delete();
    return now() - t;
  });
  const run = new ProgramRun(files.map((f) => f.path), (i) => files[i].text, undefined, undefined, fixes);
  const factsMs: number[] = [];
  let t = now();
  const facts = files.map((_, i) => {
    const s = now();
    const f = run.facts(i);
    factsMs.push(now() - s);
    return f;
  });
  const factsTotal = now() - t;
  t = now();
  run.setProgram(facts);
  const programMs = now() - t;
  const analyseMs: number[] = [];
  t = now();
  files.forEach((_, i) => {
    const s = now();
    run.analyse(i);
    analyseMs.push(now() - s);
  });
  const analyseTotal = now() - t;
  run.dispose();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const mib = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / (1024 * 1024);
  console.log(`${files.length} files, ${mib.toFixed(2)} MiB, ${fixes ? 'with' : 'without'} fixes`);
  console.log(`parse (masked, second parse of each) ${sum(parseMs).toFixed(0)} ms`);
  console.log(`pass 1 facts ${factsTotal.toFixed(0)} ms; set-up ${programMs.toFixed(0)} ms; pass 2 analysis ${analyseTotal.toFixed(0)} ms`);
  console.log(`largest single file analysis: ${Math.max(...analyseMs).toFixed(0)} ms (${((100 * Math.max(...analyseMs)) / analyseTotal).toFixed(0)}% of pass 2)`);
  const order = files.map((_, i) => i).sort((a, b) => analyseMs[b] - analyseMs[a]);
  for (const i of order.slice(0, top)) console.log(`${analyseMs[i].toFixed(0).padStart(7)} ms analysis ${factsMs[i].toFixed(0).padStart(5)} ms facts ${parseMs[i].toFixed(0).padStart(4)} ms parse  ${files[i].path}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
