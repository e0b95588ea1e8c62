/**
 * Head-of-line blocking: five systematic fault-injection simulations of a 400-site function are
 * sent at once to the real `dist/server.js --stdio`, then a hover; the figure is how long the hover
 * waits. Repeated on fresh documents (each a distinct version, so nothing comes from a cache).
 *
 *   BENCH_ENTRY=bench/hoverBehindSimulations.ts node bench/run.mjs [--sites N] [--rounds N] [--dist DIR]
 */
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { manyAllocations } from '../test/protocol/heavy';
import { startLsp } from './lsp';
import { stats, fmt } from './stats';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const SITES = Number(option('--sites', '400'));
const ROUNDS = Number(option('--rounds', '5'));
const DIST = path.resolve(option('--dist', 'dist'));

async function main(): Promise<void> {
  const server = await startLsp(DIST, { diagnosticsDelay: 0 }, [], process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []);
  const text = manyAllocations('Heavy', SITES);
  const line = text.split('\n').findIndex((l) => l.includes('FltAllocateExtraCreateParameterList'));
  const waits: number[] = [];
  const firstSim: number[] = [];
  const allSims: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const uri = `file:///bench/heavy${round}.c`;
    const published = server.published(uri);
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    await published;
    const sent = performance.now();
    const sims = [1, 2, 3, 4, 5].map((n) => server.connection.sendRequest('ecpLens/simulate', { textDocument: { uri }, function: 'Heavy', faults: { systematic: true, failAllocations: [n] } }).then(() => performance.now() - sent));
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 16 } });
    waits.push(performance.now() - sent);
    const answered = await Promise.all(sims);
    firstSim.push(Math.min(...answered));
    allSims.push(Math.max(...answered));
  }
  await server.stop();
  const w = stats(waits);
  console.log(`hover behind five ${SITES}-site simulations: p50 ${fmt(w.median)}, max ${fmt(Math.max(...waits))} over ${ROUNDS} rounds; simulations answered after ${fmt(stats(firstSim).median)} (first) to ${fmt(stats(allSims).median)} (last), medians`);
  console.log(`waits: ${waits.map((x) => x.toFixed(0)).join(', ')} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
