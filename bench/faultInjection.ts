/**
 * Systematic fault injection (`--fail-alloc each`) on a generated function with many allocation
 * sites, each checked and freed: the shared-prefix runs against running every fault path from
 * the function's start. One run of each, seconds; no wall-clock or path bound, so every site is
 * failed.
 *
 *   BENCH_ENTRY=bench/faultInjection.ts node bench/run.mjs [--sites N] [--write FILE.c]
 */
import * as fs from 'node:fs';
import { initParser, parseText } from '../server/src/parsing/parser';
import { simulate } from '../server/src/simulate/simulate';
import { manyAllocations } from '../test/protocol/heavy';
import { time, fmt } from './stats';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const SITES = Number(option('--sites', '400'));
const WRITE = option('--write', '');

(async () => {
  await initParser();
  const text = manyAllocations('Heavy', SITES);
  if (WRITE) fs.writeFileSync(WRITE, text);
  const parsed = parseText(text);
  const uri = 'file:///bench/heavy.c';
  for (const sharePrefix of [true, false]) {
    let explored = 0;
    const ms = time(() => {
      const t = simulate(parsed, text, uri, { textDocument: { uri }, function: 'Heavy', faults: { systematic: true } }, { faultBounds: { sharePrefix, maxPaths: Infinity, maxMs: Infinity }, limits: { maxMillis: Infinity } });
      explored = t.explored?.length ?? 0;
    });
    console.log(`${SITES} sites, ${sharePrefix ? 'shared prefix' : 'each from the start'}: ${fmt(ms)} (${explored} fault paths)`);
  }
  parsed.tree.delete();
})();
