import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCompileDb, splitCommand, flagsOf, CompileDbError } from '../../../server/src/build/compileDb';
import { BuildConfiguration } from '../../../server/src/build/buildConfig';

const DB = '/proj/build/compile_commands.json';
const parse = (entries: unknown) => parseCompileDb(JSON.stringify(entries), DB);
const id = (p: string) => p;

describe('compile database entries', () => {
  it('reads the arguments form: include folders and defines resolved against directory', () => {
    const [e] = parse([{ directory: '/proj', file: 'src/a.c', arguments: ['clang', '-Iinc', '-I', '/abs/inc', '-isystem', 'sys', '-DA', '-DB=2', '-D', 'C=x y', '-UA', '-c', 'src/a.c'] }]);
    expect(e.file).toBe('/proj/src/a.c');
    expect(e.includePaths).toEqual(['/proj/inc', '/abs/inc', '/proj/sys']);
    expect(e.macros).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: 'x y' }, { name: 'A' }]);
    expect(e.language).toBeUndefined();
  });

  it('reads the command form with quoted arguments', () => {
    const [e] = parse([{ directory: '/proj', file: 'a.c', command: `gcc "-I/with space/inc" -DMSG="\\"hi there\\"" -D'Q=a b' -c a.c` }]);
    expect(e.includePaths).toEqual(['/with space/inc']);
    expect(e.macros).toEqual([{ name: 'MSG', value: '"hi there"' }, { name: 'Q', value: 'a b' }]);
  });

  it('takes a relative directory against the database folder', () => {
    const [e] = parse([{ directory: '..', file: 'src/a.c', arguments: ['cc', '-Iinclude', 'src/a.c'] }]);
    expect(e.directory).toBe('/proj');
    expect(e.file).toBe('/proj/src/a.c');
    expect(e.includePaths).toEqual(['/proj/include']);
  });

  it('reads MSVC flags: /I, /D, cl\'s NAME#VALUE, /U, /FI and the language switches', () => {
    const flags = flagsOf(['cl.exe', '/I', 'inc', '/Iother', '/DDBG=1', '/D', 'NTDDI_VERSION#0x0A000000', '/UX', '/FIpre.h', '/TP', 'a.c'], (p) => `R:${p}`);
    expect(flags.includePaths).toEqual(['R:inc', 'R:other']);
    expect(flags.macros).toEqual([{ name: 'DBG', value: '1' }, { name: 'NTDDI_VERSION', value: '0x0A000000' }, { name: 'X' }]);
    expect(flags.forcedIncludes).toEqual(['R:pre.h']);
    expect(flags.language).toBe('cpp');
    expect(flagsOf(['cl', '/TC', 'a.cpp'], id).language).toBe('c');
    expect(flagsOf(['cl', '/Tpa.h'], id).language).toBe('cpp');
    expect(flagsOf(['cl', '/Tca.h'], id).language).toBe('c');
  });

  it('reads the gcc/clang language and forced includes: -x c|c++, -include, a C++ driver', () => {
    expect(flagsOf(['clang', '-x', 'c++', 'a.h'], id).language).toBe('cpp');
    expect(flagsOf(['clang', '-xc', 'a.h'], id).language).toBe('c');
    expect(flagsOf(['/usr/bin/clang++', 'a.c'], id).language).toBe('cpp');
    expect(flagsOf(['g++', '-x', 'c', 'a.c'], id).language).toBe('c');
    expect(flagsOf(['gcc', '-include', 'pre.h', '-o', '-Ioutput-not-a-folder', 'a.c'], id)).toMatchObject({ includePaths: [], macros: [], forcedIncludes: ['pre.h'] });
  });

  it('knows what the compiler defines by itself: cl has _MSC_VER (value unknown) and no __GNUC__, gcc the reverse', () => {
    expect(flagsOf(['C:\\VC\\bin\\cl.exe', 'a.c'], id).predefined).toEqual([{ name: '_MSC_VER', value: '' }, { name: '_WIN32', value: '1' }, { name: '__clang__' }, { name: '__GNUC__' }, { name: '_DEBUG' }]);
    expect(flagsOf(['cl', '/MDd', 'a.c'], id).predefined).toContainEqual({ name: '_DEBUG', value: '1' });
    expect(flagsOf(['x86_64-w64-mingw32-gcc', 'a.c'], id).predefined).toEqual([{ name: '__GNUC__', value: '' }, { name: '_MSC_VER' }, { name: '__clang__' }]);
    expect(flagsOf(['clang', 'a.c'], id).predefined).toEqual([{ name: '__clang__', value: '1' }]);
    expect(flagsOf(['ccache-wrapper', 'a.c'], id).predefined).toEqual([]);
    const [e] = parse([{ directory: '/proj', file: 'a.c', arguments: ['cl.exe', '/U_MSC_VER', 'a.c'] }]);
    const facts = new BuildConfiguration(DB, [e]).forFile('/proj/a.c')!.facts;
    expect(facts.defines.has('_MSC_VER')).toBe(false);
    expect(facts.undefs.has('__GNUC__')).toBe(true);
  });

  it('resolves Windows paths with Windows rules', () => {
    const [e] = parseCompileDb(JSON.stringify([{ directory: 'C:\\src\\drv', file: 'tag.c', command: 'cl.exe /I inc /DV2 tag.c' }]), DB);
    expect(e.file).toBe('C:\\src\\drv\\tag.c');
    expect(e.includePaths).toEqual(['C:\\src\\drv\\inc']);
  });
});

describe('splitting a command string', () => {
  it('keeps backslashes of Windows paths and honours escapes of quotes and spaces', () => {
    expect(splitCommand('cl.exe /IC:\\wdk\\km "C:\\Program Files\\x.c"')).toEqual(['cl.exe', '/IC:\\wdk\\km', 'C:\\Program Files\\x.c']);
    expect(splitCommand("cc a\\ b 'c d' \"e\\\"f\" ''")).toEqual(['cc', 'a b', 'c d', 'e"f', '']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitCommand('cc "-DX=1')).toThrow(/unclosed double quote/);
  });
});

describe('bad databases are refused in plain words', () => {
  const cases: [string, RegExp][] = [
    ['{', /is not valid JSON/],
    ['{"directory": "/x"}', /must hold a JSON array of compile commands, not an object/],
    ['[1]', /entry 1 is a number, not an object/],
    ['[{"file": "a.c", "arguments": ["cc"]}]', /entry 1 has no "directory" string/],
    ['[{"directory": "/x", "arguments": ["cc"]}]', /entry 1 has no "file" string/],
    ['[{"directory": "/x", "file": "a.c"}]', /entry 1 has neither an "arguments" array nor a "command" string/],
    ['[{"directory": "/x", "file": "a.c", "arguments": ["cc", 3]}]', /"arguments" must be an array of strings/],
  ];
  for (const [text, message] of cases) {
    it(`${text} → ${message.source}`, () => {
      expect(() => parseCompileDb(text, DB)).toThrow(CompileDbError);
      expect(() => parseCompileDb(text, DB)).toThrow(message);
    });
  }

  it('a database that cannot be read names the file and why', () => {
    expect(() => BuildConfiguration.load('/nonexistent/compile_commands.json')).toThrow(/cannot read the compile database \/nonexistent\/compile_commands.json: no such file/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-db-'));
    expect(() => BuildConfiguration.load(dir)).toThrow(/a folder, not a regular file/);
  });
});

describe('one file\'s configuration', () => {
  const entries = parse([{ directory: '/proj', file: 'a.c', arguments: ['cl', '/Iinc', '/DV2', '/DX=1', 'a.c'] }]);

  it('a database entry makes the configuration known; command-line -D and -I come after it', () => {
    const config = new BuildConfiguration(DB, entries, { includePaths: ['/cli'], defines: ['X=2', 'Y'] });
    const fb = config.forFile('/proj/a.c')!;
    expect(fb.facts.known).toBe(true);
    expect([...fb.facts.defines]).toEqual([['_MSC_VER', ''], ['_WIN32', '1'], ['V2', '1'], ['X', '2'], ['Y', '1']]);
    expect(fb.includePaths).toEqual(['/proj/inc', '/cli']);
  });

  it('a file the database does not list is not known, unless -D was given', () => {
    expect(new BuildConfiguration(DB, entries).forFile('/proj/b.c')).toBeUndefined();
    expect(new BuildConfiguration(DB, entries, { includePaths: ['/cli'] }).forFile('/proj/b.c')!.facts.known).toBe(false);
    expect(new BuildConfiguration(DB, entries, { defines: ['Y'] }).forFile('/proj/b.c')!.facts.known).toBe(true);
  });

  it('the cache key changes with the defines and the include folders', () => {
    const a = new BuildConfiguration(DB, entries).forFile('/proj/a.c')!.facts.key;
    expect(new BuildConfiguration(DB, entries, { defines: ['Z'] }).forFile('/proj/a.c')!.facts.key).not.toBe(a);
    expect(new BuildConfiguration(DB, entries, { includePaths: ['/more'] }).forFile('/proj/a.c')!.facts.key).not.toBe(a);
    expect(new BuildConfiguration(DB, entries).forFile('/proj/a.c')!.facts.key).toBe(a);
  });

  it('refuses a -D that is not a macro name', () => {
    expect(() => new BuildConfiguration(undefined, [], { defines: ['=1'] })).toThrow(/not a macro name/);
  });
});
