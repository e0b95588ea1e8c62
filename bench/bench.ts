/**
 * Benchmarks for the quality bars in docs/architecture.md. Reports medians and p95 over repeated
 * runs, and ratios (analysis / parse) that do not depend on how fast this machine is.
 *   node bench/run.mjs [--quick]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText, reparseText } from '../server/src/parsing/parser';
import { analyzeParsed } from '../server/src/analysis';
import { clearFunctionCache } from '../server/src/engine/analyzeFile';

const quick = process.argv.includes('--quick');
const ROOT = path.resolve(__dirname, '..');
const UNIT = fs.readFileSync(path.join(ROOT, 'examples/attach-ecp-mistakes.c'), 'utf8');

function corpus(lines: number): string {
  const unitLines = UNIT.split('\n').length;
  const copies = Math.ceil(lines / unitLines);
  // Each copy gets its own function names, so the file really holds copies × functions.
  return Array.from({ length: copies }, (_, i) => UNIT.replace(/\b(Contoso[A-Za-z0-9]*)\b/g, `$1_${i}`)).join('\n');
}

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  await initParser();
  const runs = quick ? 3 : 9;
  const text = corpus(10_000);
  const lines = text.split('\n').length;
  console.log(`ECP Lens benchmarks (simulated workload: ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB, ${runs} runs each)\n`);

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

  // An edit inside one function: incremental re-parse + re-analysis (cached functions reused).
  const edit: number[] = [];
  const reparse: number[] = [];
  let parsed = parseText(text);
  analyzeParsed(parsed, text);
  let current = text;
  for (let i = 0; i < runs * 3; i++) {
    const at = current.indexOf('status = STATUS_SUCCESS', Math.floor(current.length / 2));
    const next = `${current.slice(0, at)}status = STATUS_SUCCESS; /*${i}*/${current.slice(at + 'status = STATUS_SUCCESS'.length)}`;
    reparse.push(time(() => {
      parsed = reparseText(parsed, next);
    }));
    const p = parsed;
    edit.push(time(() => analyzeParsed(p, next)));
    current = next;
  }
  parsed.tree.delete();

  const p = stats(parse);
  const c = stats(cold);
  const e = stats(edit);
  const r = stats(reparse);
  console.log('| measure | median | p95 |');
  console.log('|---|---|---|');
  console.log(`| full parse (tree-sitter) | ${fmt(p.median)} | ${fmt(p.p95)} |`);
  console.log(`| full analysis, cold cache | ${fmt(c.median)} | ${fmt(c.p95)} |`);
  console.log(`| incremental re-parse after a one-line edit | ${fmt(r.median)} | ${fmt(r.p95)} |`);
  console.log(`| re-analysis after a one-line edit (warm cache) | ${fmt(e.median)} | ${fmt(e.p95)} |`);
  console.log('');
  console.log(`ratio cold analysis / full parse: ${(c.median / p.median).toFixed(2)}`);
  console.log(`ratio re-analysis after edit / full parse: ${(e.median / p.median).toFixed(2)}`);
  console.log(`diagnostics latency after the debounce (re-parse + re-analysis), median: ${fmt(r.median + e.median)}`);
  mixedCorpus(runs);
}

/** A more typical driver file: one function in ten touches ECPs, the rest is ordinary C. */
function mixedCorpus(runs: number): void {
  const ordinary = (i: number) => `
static NTSTATUS
Helper${i}(_In_ PFLT_CALLBACK_DATA Data, _Inout_ PULONG Counter)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG i;
    for (i = 0; i < 16; i++) {
        if (Data->Iopb->MajorFunction == IRP_MJ_CREATE && (i & 1)) {
            *Counter += i;
        } else if (*Counter > 100) {
            status = STATUS_UNSUCCESSFUL;
            break;
        }
    }
    switch (Data->Iopb->MajorFunction) {
    case IRP_MJ_READ: *Counter += 2; break;
    case IRP_MJ_WRITE: *Counter += 3; break;
    default: break;
    }
    return status;
}
`;
  const parts: string[] = [];
  let i = 0;
  while (parts.join('').split('\n').length < 10_000) {
    parts.push(i % 10 === 0 ? UNIT.replace(/\b(Contoso[A-Za-z0-9]*)\b/g, `$1_${i}`) : ordinary(i));
    i++;
  }
  const text = parts.join('\n');
  const parse: number[] = [];
  const cold: number[] = [];
  for (let k = 0; k < runs; k++) {
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
  console.log(`\nMixed file (${text.split('\n').length} lines, one function in ten uses ECPs):`);
  console.log(`| full parse | ${fmt(p.median)} | ${fmt(p.p95)} |`);
  console.log(`| full analysis, cold cache | ${fmt(c.median)} | ${fmt(c.p95)} |`);
  console.log(`ratio cold analysis / full parse: ${(c.median / p.median).toFixed(2)}`);
}

void main();
