/**
 * The files of one `check` run analysed as one program, in two passes that the main thread
 * (`--jobs 1`) and each worker run alike:
 *   1. `facts(i)`: parse file i once and read what it offers the program (functions, lookaside
 *      inits and deletes); the parse is kept for pass 2 while a memory budget allows, both for
 *      the file's own analysis and for the models of its functions that other files call.
 *   2. `setProgram(all facts, in command-line order)`, then `analyse(i)` with the whole program
 *      in view. The program's facts are computed once per file in the whole run, never per worker.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseText, type ParsedText, type SourceLanguage } from '../parsing/parser';
import { analyzeParsed, checkOptionsOf, type AnalysisOptions, type Finding } from '../analysis';
import { DEFAULT_SETTINGS } from '../config';
import { WorkspaceIndex, factsOfParsed, type FileFacts } from '../workspace';
import type { FileCoverage } from '../engine/coverage';
import { helpRunFunctions, type RunShare, type SharedRun } from '../engine/analyzeFile';
import type { BuildConfiguration } from '../build/buildConfig';
import { fileView, headersReadOnce, type FileView } from './build';
import type { Skipped } from '../util/sourceWalk';

export type { FileFacts };

export interface FileResult {
  findings: Finding[];
  coverage: FileCoverage;
  /** Headers the file includes that exist but were not read (a FIFO, a device, too large), with the reason. */
  unreadHeaders?: Skipped[];
}

/**
 * Source bytes whose pass-1 parses one process keeps to the end of the run (its own analysis and
 * its callers' models use them); beyond it, files are parsed again when needed.
 */
const KEEP_BYTES = 16 * 1024 * 1024;

export class ProgramRun {
  /** Pass 1's parses by file, with the grammar they were made with. */
  private readonly kept = new Map<number, { parsed: ParsedText; lang: SourceLanguage }>();
  private keptBytes = 0;
  private index: WorkspaceIndex | undefined;
  private readonly uris: string[];
  /** Each file's view (language, header reader, build facts), made once: its headers are read once per run. */
  private readonly views = new Map<string, FileView>();
  private readonly readDisk = headersReadOnce();

  constructor(
    private readonly paths: string[],
    private readonly textOf: (i: number) => string,
    /** `--compile-commands`, `-I`, `-D` (undefined: none given). */
    private readonly build: BuildConfiguration | undefined,
    /** Why the files are not the whole program (sources skipped unread), if they are not. */
    private readonly incomplete?: string,
    /** The report prints quick fixes (JSON): else none is built or verified. */
    private readonly fixes = true,
    /** `--max-paths`: paths per function before the engine stops (the editor's `ecpLens.maxPathsPerFunction`). */
    private readonly maxPaths = DEFAULT_SETTINGS.maxPathsPerFunction,
  ) {
    this.uris = paths.map(fileUri);
  }

  /**
   * Pass 1: what file i offers the rest of the program, read as its analysis reads it (its
   * language, headers and #if arms under the build configuration), as the editor's index does.
   */
  facts(i: number): FileFacts {
    const text = this.textOf(i);
    const view = this.viewOf(this.paths[i]);
    const lang = view.language;
    const parsed = parseText(text, lang);
    let keep = false;
    try {
      const facts = factsOfParsed(parsed, text, { readInclude: view.readInclude, build: view.build?.facts });
      keep = this.keptBytes + text.length <= KEEP_BYTES;
      return facts;
    } finally {
      if (keep) {
        this.kept.set(i, { parsed, lang });
        this.keptBytes += text.length;
      } else {
        parsed.tree.delete();
      }
    }
  }

  /** Between the passes: every file's facts, index by index as on the command line. */
  setProgram(facts: FileFacts[]): void {
    const byUri = new Map(this.uris.map((uri, i) => [uri, i]));
    this.index = WorkspaceIndex.ofFacts(
      this.uris.map((uri, i) => ({ uri, facts: facts[i] })),
      (uri) => {
        const i = byUri.get(uri);
        return i === undefined ? undefined : this.textOf(i);
      },
      this.incomplete,
    );
    // A callee of another file runs under that file's own configuration, as in the editor.
    const build = this.build;
    if (build) this.index.program.buildFor = (uri) => build.forFile(fileURLToPath(uri))?.facts;
    // Its headers are read as its own analysis reads them.
    this.index.program.includeReaderFor = (uri) => this.viewOf(fileURLToPath(uri)).readInclude;
    // A callee's model is built from the parse pass 1 kept of its file, not from a new parse.
    this.index.program.parsedFor = (uri) => {
      const i = byUri.get(uri);
      return i === undefined ? undefined : this.kept.get(i)?.parsed;
    };
  }

  /**
   * Pass 2: file i's findings and coverage (without `setProgram`, the file stands alone). With
   * `share`, other threads may run some of its functions (`help`); the result is the same.
   */
  analyse(i: number, share?: RunShare): FileResult {
    const file = this.paths[i];
    const unread = new Map<string, string>();
    // A reader of its own, which tells this analysis of the headers it could not read.
    const view = fileView(this.build, file, { readDisk: this.readDisk, onUnread: (header, reason) => unread.set(header, reason) });
    return this.withParse(i, view, (parsed, text) => {
      const result = analyzeParsed(parsed, text, { ...this.optionsFor(i, view), withoutFixes: !this.fixes, share });
      const unreadHeaders = [...unread].map(([header, reason]) => ({ path: header, reason: `${reason} (a header ${path.basename(file)} includes)` }));
      return { findings: result.findings, coverage: result.file.coverage, ...(unreadHeaders.length > 0 ? { unreadHeaders } : {}) };
    });
  }

  /** Runs functions of file i that another thread is analysing, as `share` hands them out. */
  help(i: number, share: Pick<RunShare, 'next'> & { deliver(index: number, key: string, run: SharedRun): void }): void {
    const view = this.viewOf(this.paths[i]);
    // Its own view: the headers it cannot read are the file's own thread's to report.
    this.withParse(i, view, (parsed, text) => helpRunFunctions(parsed, text, checkOptionsOf(this.optionsFor(i, view)), share));
  }

  /** What file i is analysed with, the same in every thread that runs its functions. */
  private optionsFor(i: number, view: FileView): AnalysisOptions {
    // Deterministic: the same files give the same report on every run and with any --jobs.
    return { workspace: this.index?.factsFor(this.uris[i]), readInclude: view.readInclude, build: view.build?.facts, deterministic: true, settings: { ...DEFAULT_SETTINGS, maxPathsPerFunction: this.maxPaths } };
  }

  /** File i's parse in the view's language: the one pass 1 kept, else a new one for this call. */
  private withParse<T>(i: number, view: FileView, use: (parsed: ParsedText, text: string) => T): T {
    const text = this.textOf(i);
    const kept = this.kept.get(i);
    // The build may name another language than the file name does: then parse again.
    const own = kept && kept.lang === view.language ? undefined : parseText(text, view.language);
    try {
      return use(own ?? kept!.parsed, text);
    } finally {
      own?.tree.delete();
    }
  }

  private viewOf(file: string): FileView {
    let view = this.views.get(file);
    if (!view) this.views.set(file, (view = fileView(this.build, file, { readDisk: this.readDisk })));
    return view;
  }

  /** Frees the parses still kept (a run that stopped early). */
  dispose(): void {
    for (const kept of this.kept.values()) kept.parsed.tree.delete();
    this.kept.clear();
    this.keptBytes = 0;
  }
}

export function fileUri(file: string): string {
  return pathToFileURL(path.resolve(file)).toString();
}
