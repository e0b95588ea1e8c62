import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { includeReaderFor } from '../../../server/src/analysis';

describe('include reader', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-incr-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'inc'));
  fs.writeFileSync(path.join(root, 'inc/a.h'), '#define A 1\n');
  fs.writeFileSync(path.join(root, 'src/b.h'), '#define B 1\n');
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-outside-'));
  fs.writeFileSync(path.join(outside, 'c.h'), '#define C 1\n');
  const read = includeReaderFor(path.join(root, 'src/x.c'), root);

  it('reads quoted includes next to the file and elsewhere inside the root', () => {
    expect(read('b.h')).toContain('#define B');
    expect(read('../inc/a.h')).toContain('#define A');
  });

  it('refuses absolute, UNC and drive names, and paths that leave the root', () => {
    expect(read(path.join(root, 'inc/a.h'))).toBeUndefined();
    expect(read('\\\\\\\\host\\\\share\\\\x.h')).toBeUndefined();
    expect(read('//host/share/x.h')).toBeUndefined();
    expect(read('C:/x.h')).toBeUndefined();
    expect(read(path.relative(path.join(root, 'src'), path.join(outside, 'c.h')))).toBeUndefined();
    expect(read('missing.h')).toBeUndefined();
  });

  it('reads a backslash in an include name as a folder separator, as MSVC does', () => {
    // `#include "..\inc\a.h"` (drivers written on Windows): on Linux and macOS the name was one
    // file name with backslashes in it, never found, so the header's macros were unknown.
    expect(read('..\\inc\\a.h')).toContain('#define A');
    expect(includeReaderFor(path.join(root, 'src/x.c'), root, [root])('inc\\a.h', 'angle')).toContain('#define A');
    // Still only inside the root.
    expect(read(`..\\..\\${path.basename(outside)}\\c.h`)).toBeUndefined();
  });
});
