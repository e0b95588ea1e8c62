/**
 * A fix is verified by analysing the fixed text; that text is parsed incrementally from the
 * analysed parse. Applied to every fix offered on the examples, the parse must be the tree and
 * masked text a fresh parse of the fixed text gives.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText, type Tree } from '../../../server/src/parsing/parser';
import { analyzeParsed, parseFixed } from '../../../server/src/analysis';

const examples = path.join(__dirname, '../../../examples');

beforeAll(async () => {
  await initParser();
});

function dump(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  for (;;) {
    const n = cursor.currentNode;
    out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out.join('\n');
      }
    }
  }
}

describe('the parse of a fixed text', () => {
  for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.c'))) {
    it(`${file}: every fix, parsed incrementally, is the fresh parse of the fixed text`, () => {
      for (const eol of ['\n', '\r\n']) {
        const text = fs.readFileSync(path.join(examples, file), 'utf8').replace(/\r?\n/g, eol);
        const parsed = parseText(text);
        let checked = 0;
        for (const f of analyzeParsed(parsed, text).findings) {
          for (const fix of f.fixes) {
            const { text: fixed, reparsed } = parseFixed(parsed, text, fix.edits);
            const fresh = parseText(fixed);
            expect(reparsed.masked).toBe(fresh.masked);
            expect(dump(reparsed.tree)).toBe(dump(fresh.tree));
            reparsed.tree.delete();
            fresh.tree.delete();
            checked++;
          }
        }
        parsed.tree.delete();
        if (file === 'attach-ecp-mistakes.c') expect(checked).toBeGreaterThan(5);
      }
    });
  }
});
