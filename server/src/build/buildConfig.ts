/**
 * The build configuration of a project: a compile database (optional) plus include folders and
 * defines given on the command line. The editor and the CLI both ask it for one file's view.
 */
import { sha1Hex } from '../util/hash';
import * as path from 'node:path';
import { readSourceFile } from '../util/safeRead';
import type { BuildFacts } from '../engine/preprocessor';
import { CompileDbError, macroOf, parseCompileDb, type CompileEntry } from './compileDb';

export { CompileDbError };

/** What the build says about one file. */
export interface FileBuild {
  facts: BuildFacts;
  /** Folders `#include <x>` and (after the file's own folder) `#include "x"` search, in order. */
  includePaths: string[];
}

export interface ExtraOptions {
  /** `-I DIR` from the command line (absolute). */
  includePaths?: string[];
  /** `-D NAME[=VALUE]` from the command line. */
  defines?: string[];
}

/** The largest compile database read (real ones for big trees reach tens of MiB). */
const MAX_DB_BYTES = 64 * 1024 * 1024;

export class BuildConfiguration {
  private readonly byFile = new Map<string, CompileEntry>();

  constructor(
    /** Where the database was read from (undefined: none, only command-line options). */
    readonly dbPath: string | undefined,
    entries: CompileEntry[],
    private readonly extra: ExtraOptions = {},
  ) {
    // The first entry for a file wins, as clangd takes the first command it finds.
    for (const e of entries) if (!this.byFile.has(fileKey(e.file))) this.byFile.set(fileKey(e.file), e);
    for (const d of extra.defines ?? []) if (!macroOf(d)) throw new CompileDbError(`-D ${d}: not a macro name (NAME or NAME=VALUE)`);
  }

  /** Reads a database through the safe reader; a CompileDbError says what is wrong in plain words. */
  static load(dbPath: string, extra: ExtraOptions = {}): BuildConfiguration {
    const read = readSourceFile(dbPath, { maxBytes: MAX_DB_BYTES });
    if (!read.ok) throw new CompileDbError(`cannot read the compile database ${dbPath}: ${read.reason}`);
    return new BuildConfiguration(path.resolve(dbPath), parseCompileDb(read.text, path.resolve(dbPath)), extra);
  }

  get size(): number {
    return this.byFile.size;
  }

  /** The files the database compiles. */
  files(): string[] {
    return [...this.byFile.values()].map((e) => e.file);
  }

  /**
   * One file's view: its database entry (if any) with the command-line options after it. The
   * configuration is known (undefined names are not defined) when the entry exists or -D was given.
   */
  forFile(file: string): FileBuild | undefined {
    const entry = this.byFile.get(fileKey(path.resolve(file)));
    const cliDefines = this.extra.defines ?? [];
    const cliIncludes = this.extra.includePaths ?? [];
    if (!entry && cliDefines.length === 0 && cliIncludes.length === 0) return undefined;
    const defines = new Map<string, string>();
    const undefs = new Set<string>();
    const macros = [...(entry?.predefined ?? []), ...(entry?.macros ?? []), ...cliDefines.map((d) => macroOf(d)!)];
    for (const m of macros) {
      if (m.value === undefined) {
        defines.delete(m.name);
        undefs.add(m.name);
      } else {
        defines.set(m.name, m.value);
        undefs.delete(m.name);
      }
    }
    const includePaths = [...(entry?.includePaths ?? []), ...cliIncludes];
    const known = Boolean(entry) || cliDefines.length > 0;
    const forcedIncludes = entry?.forcedIncludes ?? [];
    const language = entry?.language;
    const key = sha1Hex(JSON.stringify([known, language ?? '', [...defines], [...undefs], includePaths, forcedIncludes])).slice(0, 16);
    return { facts: { defines, undefs, known, language, forcedIncludes, key }, includePaths };
  }
}

/** Windows file systems ignore case and accept both slashes. */
function fileKey(file: string): string {
  return /^[A-Za-z]:[\\/]|^\\\\/.test(file) ? file.replace(/\\/g, '/').toLowerCase() : file;
}

/** Where a compile database is looked for in a workspace folder, in order. */
export function compileDbCandidates(folder: string): string[] {
  return [path.join(folder, 'compile_commands.json'), path.join(folder, 'build', 'compile_commands.json')];
}
