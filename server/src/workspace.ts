/**
 * Background index of the workspace's C/C++ files for the rules and completions that look across
 * files: which ECP lookaside lists are initialised and deleted where, and which GUIDs are defined.
 * Indexing runs in a worker thread (or, without one, in small slices) so requests are never
 * starved, and reports progress.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseText, languageFor, loadLanguage, type ParsedText, type SourceLanguage } from './parsing/parser';
import { buildFileModel } from './engine/fileModel';
import { modelWithIncludes, type IncludeReader } from './engine/includes';
import { includeReaderFor } from './build/includeReader';
import type { BuildFacts } from './engine/preprocessor';
import { checkSyntax, mayUseLookaside, type LookasideUse } from './rules/syntactic';
import type { WorkspaceFacts } from './checkFile';
import { readSourceFile } from './util/safeRead';
import { newWalkState, walkSources, type WalkResult } from './util/sourceWalk';
import { programFactsOf, type ProgramFacts } from './engine/program';
import { ProgramIndex, uriOf as uriOfKey } from './programIndex';
import type { IndexJob, IndexReply, IndexedFile } from './indexJob';
import { lifecycleFactsOf, type LifecycleFacts } from './lifecycle/facts';

export interface FileFacts extends ProgramFacts {
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  guids: string[];
  lifecycle: LifecycleFacts;
}

export interface IndexProgress {
  begin(title: string, total: number): void;
  report(done: number, total: number, message: string): void;
  done(): void;
}

// ECP_LENS_INDEX_MAX_FILES lowers the cap for tests; real workspaces get 20,000.
const MAX_FILES = Number(process.env.ECP_LENS_INDEX_MAX_FILES) || 20_000;
/** Longest stretch of indexing between two pauses for requests. */
const INDEX_SLICE_MS = 4;

export class WorkspaceIndex {
  private readonly files = new Map<string, FileFacts>();
  private state: 'none' | 'indexing' | 'complete' | 'partial' = 'none';
  /** Why the finished index does not cover the workspace (a cap hit, sources it could not read). */
  incompleteReason: string | undefined;
  /** Workspace folders (paths): files are read only inside them. */
  private roots: string[] = [];

  /**
   * `maxFiles` bounds how many files are indexed (the default suits real workspaces);
   * `workerScript` is the index worker's bundle (beside the server's by default).
   */
  constructor(
    private readonly maxFiles = MAX_FILES,
    private readonly workerScript = path.join(__dirname, 'indexWorker.js'),
  ) {}
  /** Keys of documents open in the editor: their buffer, not the disk, is the truth. */
  readonly open = new Set<string>();
  /**
   * How a workspace file is read for its facts (set by the server from the compile database and
   * the workspace folders): the same headers and configuration as analysing it, so a file's facts
   * do not change when it is opened, and the editor agrees with the CLI.
   */
  viewOf: (file: string) => IndexView | undefined = () => undefined;

  /** Facts of a file's text read from disk (or given), under its view. */
  private factsOfFile(uri: string, text: string): FileFacts {
    if (!uri.startsWith('file:')) return factsOf(text, languageFor(uri));
    const file = fileURLToPath(uri);
    const view = factsViewOf(file, this.viewOf(file));
    return factsOf(text, view.language, view);
  }
  /** Changes whenever the facts change, so cached analyses can be told apart. */
  generation = 0;
  /** Which file defines which function, and their current texts. */
  readonly program = new ProgramIndex(this.files, () => this.generation, (file) => this.readSource(file));

  /** Only a finished index may back a "never deleted anywhere in the workspace" finding. */
  get complete(): boolean {
    return this.state === 'complete';
  }

  /** Facts from every file but `uri` (the open document speaks for itself). */
  factsFor(uri: string): WorkspaceFacts {
    // Asked on every analysis request (hover, code action, publish): memoised per generation.
    const memo = this.memo.get(uri);
    if (memo && memo.generation === this.generation && memo.complete === this.complete) return memo.facts;
    const facts = this.collectFacts(uri);
    this.memo.set(uri, { generation: this.generation, complete: this.complete, facts });
    return facts;
  }

  private readonly memo = new Map<string, { generation: number; complete: boolean; facts: WorkspaceFacts }>();

  private collectFacts(uri: string): WorkspaceFacts {
    const self = indexKey(uri);
    const deletes = new Set<string>();
    const inits = new Map<string, LookasideUse>();
    const lifecycle: { uri: string; facts: LifecycleFacts }[] = [];
    for (const [other, facts] of this.files) {
      if (other === self) continue;
      for (const d of facts.lookasideDeletes) deletes.add(d.name);
      for (const i of facts.lookasideInits) inits.set(i.name, { ...i, file: other });
      if (facts.lifecycle.unloads.length > 0 || facts.lifecycle.operations.length > 0) lifecycle.push({ uri: uriOfKey(other), facts: facts.lifecycle });
    }
    return { lookasideDeletes: deletes, lookasideInits: inits, complete: this.complete, lifecycle, lifecycleKey: JSON.stringify(lifecycle), ...this.program.sourceFor(self) };
  }

  guids(): string[] {
    const all = new Set<string>();
    for (const f of this.files.values()) for (const g of f.guids) all.add(g);
    return [...all].sort();
  }

  /** Records the facts of one file's text (an open document, or a file read from disk). */
  update(uri: string, text: string): void {
    this.files.set(indexKey(uri), this.factsOfFile(uri, text));
    this.program.changed(indexKey(uri));
    this.generation++;
  }

  /** A program given whole (the CLI's files): every file is known, so the index is complete. */
  static ofFiles(files: { uri: string; text: string; view?: FactsView }[]): WorkspaceIndex {
    const texts = new Map(files.map((f) => [f.uri, f.text]));
    return WorkspaceIndex.ofFacts(files.map((f) => ({ uri: f.uri, facts: factsOf(f.text, f.view?.build?.language ?? languageFor(f.uri), f.view) })), (uri) => texts.get(uri));
  }

  /**
   * A whole program from facts computed elsewhere (the CLI computes each file's facts once, in
   * whichever worker parsed it). `files` keeps the command line's order: later lookaside inits win.
   * `incomplete` says why the program is not whole (sources under the paths given that could not
   * be read): then no finding may rest on what the other files do not contain.
   */
  static ofFacts(files: { uri: string; facts: FileFacts }[], textOf: (uri: string) => string | undefined, incomplete?: string): WorkspaceIndex {
    const index = new WorkspaceIndex();
    const uris = new Map<string, string>();
    for (const file of files) {
      index.files.set(indexKey(file.uri), file.facts);
      uris.set(indexKey(file.uri), file.uri);
    }
    index.program.readOpen = (key) => {
      const uri = uris.get(key);
      return uri === undefined ? undefined : textOf(uri);
    };
    index.state = incomplete ? 'partial' : 'complete';
    index.incompleteReason = incomplete;
    index.generation++;
    return index;
  }

  /** Re-reads one file from disk (a watched-file change), with the same limits as indexing. */
  updateFromDisk(uri: string): void {
    const text = uri.startsWith('file:') ? this.readSource(fileURLToPath(uri)) : undefined;
    if (text === undefined) this.remove(uri);
    else this.update(uri, text);
  }

  /**
   * Facts of an open document from its latest analysis; the generation moves only when they
   * differ, so other documents are re-checked only when something they depend on changed.
   */
  setFacts(uri: string, facts: FileFacts): void {
    const key = (f: FileFacts | undefined) => (f ? JSON.stringify([f.lookasideInits.map((u) => [u.name, u.flags, u.family]), f.lookasideDeletes.map((u) => u.name), f.guids, f.functionsHash, f.lifecycle]) : '');
    const k = indexKey(uri);
    this.program.changed(indexKey(uri));
    if (key(this.files.get(k)) === key(facts)) return;
    this.files.set(k, facts);
    this.generation++;
  }

  /**
   * A source's text when it is a regular file inside the workspace and not over the size cap; a
   * FIFO or a device is never opened. `onUnread` hears of real sources that were passed over.
   */
  private readSource(file: string, onUnread?: (reason: string) => void): string | undefined {
    if (this.roots.length === 0) return undefined;
    const read = readSourceFile(file, { roots: this.roots });
    if (read.ok) return read.text;
    if (read.kind === 'too-large' || read.kind === 'outside' || read.kind === 'error') onUnread?.(read.reason);
    return undefined;
  }

  remove(uri: string): void {
    this.program.changed(indexKey(uri));
    if (this.files.delete(indexKey(uri))) this.generation++;
  }

  /**
   * Indexes every C/C++ file under the folders. The files are read and parsed by a worker thread
   * when the bundle has one (`dist/indexWorker.js`), so requests are answered at once meanwhile;
   * otherwise (running from sources, or the worker failed) here, in slices of a few ms.
   */
  async indexFolders(folderUris: string[], progress: IndexProgress): Promise<number> {
    this.roots = folderUris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    const listed = listSources(this.roots, this.maxFiles);
    const paths = listed.files;
    const unread = listed.skipped.filter((s) => s.kind !== undefined).map((s) => `${s.path}: ${s.reason}`);
    this.state = 'indexing';
    progress.begin('ECP Lens: indexing C/C++ files', paths.length);
    // An open document already told the index what its current text says.
    const todo = paths.filter((file) => {
      const key = keyOfPath(file);
      return !this.files.has(key) || !this.open.has(key);
    });
    let done = paths.length - todo.length;
    const record = (item: IndexedFile): void => {
      const key = keyOfPath(item.file);
      if (item.unread !== undefined) unread.push(`${item.file}: ${item.unread}`);
      done++;
      // Opened meanwhile: the buffer wins.
      if (!this.open.has(key) || !this.files.has(key)) {
        if (item.facts) this.files.set(key, item.facts);
        this.program.changed(key);
      }
      if (done % 20 === 0) progress.report(done, paths.length, `${done}/${paths.length} files`);
    };
    try {
      const left = await this.indexInWorker(todo, record);
      this.indexedBy = todo.length === 0 ? undefined : left.length === 0 ? 'the index worker' : left.length === todo.length ? "the server's thread" : "the index worker and the server's thread";
      await this.indexHere(left, record);
    } finally {
      this.incompleteReason = incompleteReason(listed.truncated, this.maxFiles, unread);
      this.state = this.incompleteReason ? 'partial' : 'complete';
      this.generation++;
      progress.done();
    }
    return paths.length;
  }

  /** Which thread read the files of the last `indexFolders` (none when every file was open). */
  indexedBy: string | undefined;

  /** Set when the worker could not be used; `indexFolders` then works on this thread. */
  workerProblem: string | undefined;

  /**
   * Hands the files to the index worker; resolves with the files it did not answer for (all of
   * them when there is no worker, the rest when it failed), which are then indexed here.
   */
  private indexInWorker(files: string[], record: (item: IndexedFile) => void): Promise<string[]> {
    const script = this.workerScript;
    if (files.length === 0 || process.env.ECP_LENS_INDEX_WORKER === '0' || !fs.existsSync(script)) return Promise.resolve(files);
    const answered = new Set<string>();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (problem?: string): void => {
        if (settled) return;
        settled = true;
        if (problem) this.workerProblem = problem;
        void worker.terminate();
        resolve(files.filter((f) => !answered.has(f)));
      };
      const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
      worker.on('message', (reply: IndexReply) => {
        if (reply.type === 'batch') {
          for (const item of reply.files) {
            answered.add(item.file);
            record(item);
          }
        } else if (reply.type === 'done') finish();
        else finish(`the index worker failed: ${reply.reason}`);
      });
      worker.on('error', (err) => finish(`the index worker failed: ${err.message}`));
      worker.on('exit', (code) => finish(code === 0 ? undefined : `the index worker stopped (exit code ${code})`));
      worker.postMessage({ files, roots: this.roots, views: files.map((f) => this.viewOf(f)) } satisfies IndexJob);
    });
  }

  /** Indexes files on this thread, pausing by time so a request waits for one slice at most. */
  private async indexHere(files: string[], record: (item: IndexedFile) => void): Promise<void> {
    if (files.some((p) => (this.viewOf(p)?.build?.language ?? languageFor(p)) === 'cpp')) await loadLanguage('cpp');
    let sliceStart = Date.now();
    for (const file of files) {
      let unreadReason: string | undefined;
      const text = this.readSource(file, (reason) => (unreadReason = reason));
      let facts: FileFacts | undefined;
      try {
        if (text !== undefined) facts = this.factsOfFile(pathToFileURL(file).toString(), text);
      } catch (err) {
        // One file the index cannot take must not stop it (nor leave it "indexing" for ever), but
        // what it may define is not known: the index is incomplete.
        unreadReason = notIndexed(err);
      }
      record({ file, facts, unread: unreadReason });
      if (Date.now() - sliceStart >= INDEX_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
    }
  }
}

function keyOfPath(file: string): string {
  return indexKey(pathToFileURL(file).toString());
}

/**
 * One key per file whatever the spelling: VS Code sends `file:///c%3A/x.c` where Node writes
 * `file:///c:/x.c`, and drive letters differ in case.
 */
export function indexKey(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    const p = fileURLToPath(uri);
    return /^[A-Za-z]:/.test(p) ? p[0].toLowerCase() + p.slice(1) : p;
  } catch {
    return uri;
  }
}

/**
 * How a file is read for its facts, as its own analysis reads it: its headers (macros they
 * define, e.g. a delete written as a header macro) and its build configuration (`#if` arms).
 */
export interface FactsView {
  readInclude?: IncludeReader;
  build?: BuildFacts;
}

/** A file's view as plain data (it travels to the index worker): build facts, include folders, workspace folder. */
export interface IndexView {
  build?: BuildFacts;
  includePaths: string[];
  root: string;
}

/** The facts view of a file on disk under its IndexView (none: its name's language, no headers). */
export function factsViewOf(file: string, view: IndexView | undefined): FactsView & { language: SourceLanguage } {
  if (!view) return { language: languageFor(file) };
  return { language: view.build?.language ?? languageFor(file), build: view.build, readInclude: includeReaderFor(file, view.root, view.includePaths) };
}

export function factsOf(text: string, lang: SourceLanguage = 'c', view: FactsView = {}): FileFacts {
  const parsed = parseText(text, lang);
  try {
    return factsOfParsed(parsed, text, view);
  } finally {
    parsed.tree.delete();
  }
}

/** The facts of a text already parsed (the caller keeps the tree, e.g. to analyse it next). */
export function factsOfParsed(parsed: ParsedText, text: string, view: FactsView = {}): FileFacts {
  const model = view.readInclude || view.build ? modelWithIncludes(parsed, text, view.readInclude, view.build) : buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
  // Only the lookaside uses are read here (the rules run when the file is analysed).
  const syntax = mayUseLookaside(text, model) ? checkSyntax(parsed.tree, model) : { lookasideInits: [], lookasideDeletes: [] };
  return { lookasideInits: syntax.lookasideInits, lookasideDeletes: syntax.lookasideDeletes, guids: definedGuids(text), lifecycle: lifecycleFactsOf(parsed.tree, text, model.pp), ...programFactsOf(model, text) };
}

/** `DEFINE_GUID(NAME, ...)` and `const GUID NAME = {...}` definitions. */
export function definedGuids(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bDEFINE_GUID\s*\(\s*([A-Za-z_]\w*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/\bGUID\s+([A-Za-z_]\w*)\s*=\s*\{/g)) names.add(m[1]);
  return [...names];
}

/** The sources of every folder, each real file once, links followed only inside the folders. */
function listSources(roots: string[], maxFiles: number): WalkResult {
  const state = newWalkState();
  const result: WalkResult = { files: [], skipped: [], truncated: false };
  for (const root of roots) walkSources(root, { roots, maxFiles }, state, result);
  result.files.sort();
  return result;
}

/** Why a file read from disk gave no facts (an internal error), for the incomplete index's reason. */
export function notIndexed(err: unknown): string {
  return `could not be indexed (${String(err instanceof Error ? err.message : err).split('\n')[0].slice(0, 200)})`;
}

function incompleteReason(truncated: boolean, maxFiles: number, unread: string[]): string | undefined {
  if (truncated) return `the workspace has more than ${maxFiles} C/C++ files; only the first ${maxFiles} were indexed`;
  if (unread.length > 0) return `${unread.length} source file${unread.length === 1 ? '' : 's'} could not be read (${unread.slice(0, 3).join('; ')}${unread.length > 3 ? '; …' : ''})`;
  return undefined;
}
