/**
 * `compile_commands.json`, the format clangd reads: an array of entries with `directory`, `file`
 * and either `arguments` (an array) or `command` (one string, split as a shell would). From each
 * entry's flags we keep what changes how the file reads: include folders, defines and undefines,
 * forced includes and the language. Paths are resolved against the entry's `directory`.
 */
import * as path from 'node:path';
import type { SourceLanguage } from '../parsing/parser';

export interface CompileEntry {
  /** Absolute path of the source file, as written (resolved against `directory`). */
  file: string;
  directory: string;
  /** `-I`, `/I`, `-isystem`, `-iquote`, `-idirafter`, `/external:I`, in order (absolute). */
  includePaths: string[];
  /** `-D`/`/D` and `-U`/`/U` in command-line order: later ones win. */
  macros: { name: string; value?: string }[];
  /** What the compiler defines (or never defines) by itself, before the command line. */
  predefined?: { name: string; value?: string }[];
  /** `-include FILE`, `/FI FILE` (absolute). */
  forcedIncludes: string[];
  /** From `-x c|c++`, `/TP`, `/TC`, `/Tp`, `/Tc`, or a C++ driver (`clang++`, `g++`); else by extension. */
  language?: SourceLanguage;
}

/** The database could not be used: the message says which file and what is wrong. */
export class CompileDbError extends Error {}

/** Parses the text of a compile database named `dbPath` (used in messages and for relative `directory`). */
export function parseCompileDb(text: string, dbPath: string): CompileEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CompileDbError(`${dbPath} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(json)) throw new CompileDbError(`${dbPath} must hold a JSON array of compile commands, not ${describe(json)}`);
  const entries: CompileEntry[] = [];
  json.forEach((raw, i) => entries.push(entryOf(raw, i, dbPath)));
  return entries;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function entryOf(raw: unknown, i: number, dbPath: string): CompileEntry {
  const where = `${dbPath}: entry ${i + 1}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CompileDbError(`${where} is ${describe(raw)}, not an object with directory, file and arguments or command`);
  const e = raw as Record<string, unknown>;
  if (typeof e.directory !== 'string' || e.directory === '') throw new CompileDbError(`${where} has no "directory" string`);
  if (typeof e.file !== 'string' || e.file === '') throw new CompileDbError(`${where} has no "file" string`);
  let args: string[];
  if (Array.isArray(e.arguments)) {
    if (!e.arguments.every((a) => typeof a === 'string')) throw new CompileDbError(`${where}: "arguments" must be an array of strings`);
    args = e.arguments as string[];
  } else if (typeof e.command === 'string') {
    args = splitCommand(e.command);
  } else {
    throw new CompileDbError(`${where} has neither an "arguments" array nor a "command" string`);
  }
  const p = pathsFor(e.directory, dbPath);
  const directory = p.resolve(path.dirname(dbPath), e.directory);
  return { ...flagsOf(args, (x) => p.resolve(directory, x)), file: p.resolve(directory, e.file), directory };
}

/** Windows paths (`C:\x`, `\\server\x`) are resolved with Windows rules, whatever this machine is. */
function pathsFor(directory: string, dbPath: string): typeof path.posix {
  return /^[A-Za-z]:[\\/]|^\\\\/.test(directory) && !/^[A-Za-z]:[\\/]|^\\\\/.test(path.resolve(dbPath)) ? path.win32 : path;
}

/**
 * Splits a `command` string into arguments: whitespace separates, single and double quotes group,
 * and a backslash escapes a quote, a space or another backslash (elsewhere it is kept, so Windows
 * paths such as `C:\src\drv.c` survive).
 */
export function splitCommand(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
      continue;
    }
    if (c === '\\' && i + 1 < command.length) {
      const next = command[i + 1];
      if (next === '"' || next === '\\' || (!quote && (next === "'" || next === ' ' || next === '\t'))) {
        current += next;
        started = true;
        i++;
        continue;
      }
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else current += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new CompileDbError(`a "command" has an unclosed ${quote === '"' ? 'double' : 'single'} quote: ${command.slice(0, 200)}`);
  if (started) out.push(current);
  return out;
}

/** Options of gcc/clang/cl whose value is the next argument and means nothing to us. */
const SKIP_VALUE = new Set(['-o', '-MF', '-MT', '-MQ', '-Xclang', '-Xlinker', '-Xpreprocessor', '-target', '-arch', '-isysroot', '--sysroot', '-imacros', '-iprefix', '-iwithprefix', '-main-file-name', '/Fo', '/Fd']);

const INCLUDE_FLAGS = ['-isystem', '-iquote', '-idirafter', '/external:I', '-external:I', '-imsvc', '/imsvc', '-I', '/I'];

type Flags = Omit<CompileEntry, 'file' | 'directory'>;

/** The value of option `name` at `args[i]`: joined (`-IDIR`) or the next argument (`-I DIR`). */
function optionValue(args: string[], i: number, name: string): { value: string | undefined; next: number } {
  const a = args[i];
  if (a === name) return { value: args[i + 1], next: i + 1 };
  return { value: a.slice(name.length), next: i };
}

/** The flags that matter, from an argument vector whose first element is the compiler. */
export function flagsOf(args: string[], resolve: (p: string) => string): Flags {
  const flags: Flags = { includePaths: [], macros: [], forcedIncludes: [] };
  const driver = (args[0] ?? '').replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
  if (/\+\+$/.test(driver)) flags.language = 'cpp';
  flags.predefined = predefinedBy(driver);
  // cl defines _DEBUG for the debug runtimes (/MDd, /MTd, /LDd) and only then.
  if (driver === 'cl' || driver === 'clang-cl') flags.predefined.push(args.some((a) => /^[-/](MDd|MTd|LDd)$/.test(a)) ? { name: '_DEBUG', value: '1' } : { name: '_DEBUG' });
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (SKIP_VALUE.has(a)) {
      i++;
      continue;
    }
    const take = (name: string): string | undefined => {
      const r = optionValue(args, i, name);
      i = r.next;
      return r.value;
    };
    const include = INCLUDE_FLAGS.find((f) => a.startsWith(f));
    if (include || a.startsWith('--include-directory=')) {
      const dir = include ? take(include) : a.slice('--include-directory='.length);
      if (dir) flags.includePaths.push(resolve(dir));
    } else if (a.startsWith('-D') || a.startsWith('/D') || a.startsWith('--define-macro=')) {
      const define = a.startsWith('--') ? a.slice('--define-macro='.length) : take(a.slice(0, 2));
      const macro = define ? macroOf(define) : undefined;
      if (macro) flags.macros.push(macro);
    } else if (a.startsWith('-U') || a.startsWith('/U')) {
      const name = take(a.slice(0, 2));
      if (name) flags.macros.push({ name });
    } else if (a === '-include' || a.startsWith('/FI') || a.startsWith('-FI')) {
      const file = take(a === '-include' ? '-include' : a.slice(0, 3));
      if (file) flags.forcedIncludes.push(resolve(file));
    } else if (a.startsWith('-x')) {
      const value = take('-x');
      if (value === 'c' || value === 'c-header') flags.language = 'c';
      else if (value === 'c++' || value === 'c++-header') flags.language = 'cpp';
    } else if (/^(\/T[Pp]|-TP|\/Tp.+|-Tp.+)$/.test(a) || a === '/TP' || a === '-Tp') {
      flags.language = 'cpp';
    } else if (/^(\/T[Cc]|-TC|\/Tc.+|-Tc.+)$/.test(a) || a === '-Tc') {
      flags.language = 'c';
    }
  }
  return flags;
}

/**
 * What the compiler itself defines, as far as its name tells: cl defines `_MSC_VER` (its value
 * depends on the version, so `#if _MSC_VER >= N` stays undecided) and never `__GNUC__`; gcc
 * defines `__GNUC__` and never `_MSC_VER`. clang depends on its target, so only `__clang__`.
 */
function predefinedBy(driver: string): { name: string; value?: string }[] {
  if (driver === 'cl' || driver === 'clang-cl') {
    const clang = driver === 'clang-cl' ? [{ name: '__clang__', value: '1' }] : [{ name: '__clang__' }];
    return [{ name: '_MSC_VER', value: '' }, { name: '_WIN32', value: '1' }, ...clang, { name: '__GNUC__' }];
  }
  if (/(^|-)(gcc|g\+\+)(-[\d.]+)?$/.test(driver)) return [{ name: '__GNUC__', value: '' }, { name: '_MSC_VER' }, { name: '__clang__' }];
  if (/(^|-)clang(\+\+)?(-[\d.]+)?$/.test(driver)) return [{ name: '__clang__', value: '1' }];
  return [];
}

/** `NAME`, `NAME=VALUE`, and cl's `NAME#VALUE`; undefined for an empty name. */
export function macroOf(define: string): { name: string; value: string } | undefined {
  const eq = define.indexOf('=');
  const cut = eq >= 0 ? eq : define.indexOf('#');
  const name = cut >= 0 ? define.slice(0, cut) : define;
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  return { name, value: cut >= 0 ? define.slice(cut + 1) : '1' };
}
