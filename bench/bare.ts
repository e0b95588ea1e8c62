/**
 * The yardstick: tree-sitter's own full and incremental parse of a text, with no masking and no
 * file model, loaded from the same wasm files the server uses.
 */
import * as path from 'node:path';
import { Parser, Language, Edit } from 'web-tree-sitter';
import { stats, time, type Stat } from './stats';

let parser: Parser | undefined;

export async function bareParser(dist: string): Promise<Parser> {
  if (parser) return parser;
  await Parser.init({ locateFile: () => path.join(dist, 'web-tree-sitter.wasm') });
  const c = await Language.load(path.join(dist, 'tree-sitter-c.wasm'));
  parser = new Parser();
  parser.setLanguage(c);
  return parser;
}

export function bareFullParse(p: Parser, text: string, runs: number): Stat {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(time(() => p.parse(text)?.delete()));
  return stats(samples);
}

/** web-tree-sitter indexes a JavaScript string by UTF-16 code units, as the server does. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** Tree-sitter's incremental parse of one inserted space at `offset`, given the old tree. */
export function bareIncrementalParse(p: Parser, text: string, offset: number, runs: number): Stat {
  const samples: number[] = [];
  let tree = p.parse(text);
  let current = text;
  for (let i = 0; i < runs; i++) {
    if (!tree) throw new Error('tree-sitter returned no tree');
    const next = `${current.slice(0, offset)} ${current.slice(offset)}`;
    const startIndex = offset;
    const start = pointAt(current, offset);
    tree.edit(new Edit({ startIndex, oldEndIndex: startIndex, newEndIndex: startIndex + 1, startPosition: start, oldEndPosition: start, newEndPosition: { row: start.row, column: start.column + 1 } }));
    const old = tree;
    samples.push(time(() => {
      tree = p.parse(next, old);
    }));
    old.delete();
    current = next;
  }
  tree?.delete();
  return stats(samples);
}
