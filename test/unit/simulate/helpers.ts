/** Runs the simulator on a fixture of test/fixtures/simulate, from sources (no build needed). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { simulate } from '../../../server/src/simulate/simulate';
import type { SimulateParams, Trace } from '../../../server/src/protocol';

export const FIXTURES = join(__dirname, '../../fixtures/simulate');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** 1-based line of the first line containing `text` at or after line `from` (1-based). */
export function lineOf(name: string, text: string, from = 1): number {
  const lines = fixtureText(name).split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(text)) return i + 1;
  throw new Error(`${text} not found in ${name}`);
}

export async function run(name: string, params: Omit<SimulateParams, 'textDocument'> = {}): Promise<Trace> {
  await initParser();
  const source = fixtureText(name);
  const parsed = parseText(source);
  try {
    return simulate(parsed, source, `file:///fixtures/${name}`, { textDocument: { uri: `file:///fixtures/${name}` }, ...params });
  } finally {
    parsed.tree.delete();
  }
}

export function functionLine(name: string, fn: string): number {
  return lineOf(name, ` ${fn}(`);
}
