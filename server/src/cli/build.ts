/** The build configuration the command line names: `--compile-commands FILE`, `-I DIR`, `-D NAME[=VALUE]`. */
import * as path from 'node:path';
import { BuildConfiguration, CompileDbError, type FileBuild } from '../build/buildConfig';
import { includeReaderFor } from '../analysis';
import type { IncludeReader } from '../engine/analyzeFile';
import { languageFor, type SourceLanguage } from '../parsing/parser';
import { InputError } from './files';

export interface BuildArgs {
  options: Map<string, string>;
  lists: Map<string, string[]>;
}

/** The configuration, or undefined when the command line gives none. A bad database is an InputError (exit 2). */
export function buildFromArgs(args: BuildArgs): BuildConfiguration | undefined {
  const db = args.options.get('--compile-commands');
  const extra = { includePaths: (args.lists.get('-I') ?? []).map((d) => path.resolve(d)), defines: args.lists.get('-D') ?? [] };
  try {
    if (db !== undefined) return BuildConfiguration.load(db, extra);
    if (extra.includePaths.length > 0 || extra.defines.length > 0) return new BuildConfiguration(undefined, [], extra);
  } catch (err) {
    if (err instanceof CompileDbError) throw new InputError(err.message);
    throw err;
  }
  return undefined;
}

/** How one file is read under the configuration: its language, header reader and build facts. */
export function fileView(build: BuildConfiguration | undefined, file: string, onUnread?: (header: string, reason: string) => void): { language: SourceLanguage; readInclude: IncludeReader; build: FileBuild | undefined } {
  const fb = build?.forFile(file);
  return {
    language: fb?.facts.language ?? languageFor(file),
    readInclude: includeReaderFor(file, path.parse(path.resolve(file)).root, fb?.includePaths, { onUnread }),
    build: fb,
  };
}
