/** The build configuration the command line names: `--compile-commands FILE`, `-I DIR`, `-D NAME[=VALUE]`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildConfiguration, CompileDbError, type FileBuild } from '../build/buildConfig';
import { includeReaderFor } from '../analysis';
import { readHeaderFile, type IncludeHooks } from '../build/includeReader';
import type { IncludeReader } from '../engine/analyzeFile';
import type { ReadOutcome } from '../util/safeRead';
import { languageFor, type SourceLanguage } from '../parsing/parser';
import { InputError } from './files';

export interface BuildArgs {
  options: Map<string, string>;
  lists: Map<string, string[]>;
}

/** The configuration, or undefined when the command line gives none. A bad database is an InputError (exit 2). */
export function buildFromArgs(args: BuildArgs): BuildConfiguration | undefined {
  const db = args.options.get('--compile-commands');
  const includes = args.lists.get('-I') ?? [];
  // `-I a.c` took the source as the folder and then said no file was given.
  for (const d of includes) if (isFile(d)) throw new InputError(`-I takes a folder of headers; ${d} is a file (for a source to check, put it after the options)`);
  const extra = { includePaths: includes.map((d) => path.resolve(d)), defines: args.lists.get('-D') ?? [] };
  try {
    if (db !== undefined) return BuildConfiguration.load(db, extra);
    if (extra.includePaths.length > 0 || extra.defines.length > 0) return new BuildConfiguration(undefined, [], extra);
  } catch (err) {
    if (err instanceof CompileDbError) throw new InputError(err.message);
    throw err;
  }
  return undefined;
}

export interface FileView {
  language: SourceLanguage;
  readInclude: IncludeReader;
  build: FileBuild | undefined;
}

/**
 * How one file is read under the configuration: its language, header reader and build facts.
 * `hooks.readDisk`: how its headers come off the disk (default: read each time they are asked
 * for); `hooks.onUnread`: hears of a header that is there but is not read.
 */
export function fileView(build: BuildConfiguration | undefined, file: string, hooks: Pick<IncludeHooks, 'readDisk' | 'onUnread'> = {}): FileView {
  const fb = build?.forFile(file);
  return {
    language: fb?.facts.language ?? languageFor(file),
    readInclude: includeReaderFor(file, path.parse(path.resolve(file)).root, fb?.includePaths, hooks),
    build: fb,
  };
}

export type HeaderDisk = (fullPath: string, within: string) => ReadOutcome;

/**
 * Headers read once per run: a run's files do not change while it runs, and each header is asked
 * for by every file that includes it and again by every program model of those files.
 */
export function headersReadOnce(): HeaderDisk {
  const read = new Map<string, ReadOutcome>();
  return (fullPath, within) => {
    const key = `${within}\u0000${fullPath}`;
    let outcome = read.get(key);
    if (outcome === undefined) read.set(key, (outcome = readHeaderFile(fullPath, within)));
    return outcome;
  };
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
