/**
 * Wires LSP capabilities to the document store and the features. No ECP knowledge lives here.
 * The server object is built first and attached to a connection afterwards, so tests, the CLI and
 * the editor share the same code.
 */
import {
  type Connection,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  DiagnosticSeverity,
  type Diagnostic,
  type ServerCapabilities,
  type CancellationToken,
} from 'vscode-languageserver';
import { DocumentStore, type StoredDocument } from './documents';
import { initParser, loadLanguage, isLanguageLoaded } from './parsing/parser';
import { analyzeParsedInSlices, includeReaderFor, type AnalysisResult, type Finding } from './analysis';
import { runInSlices, untilCancelled, WorkStopped } from './util/slices';
import { stoppedError } from './features/requestContext';
import type { IncludeReader, WorkspaceFacts } from './checkFile';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './config';
import { ruleDocUrl } from './rules/registry';
import { ServerStatusNotification, CoverageNotification, type ServerStatus } from './protocol';
import { documentCoverage } from './features/coverage';
import { Debouncer } from './util/debounce';
import { clipMessage } from './util/clip';
import { WorkspaceIndex, definedGuids, indexKey, type IndexProgress } from './workspace';
import { DidChangeWatchedFilesNotification, FileChangeType, ShowMessageNotification, MessageType } from 'vscode-languageserver';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProjectBuild } from './projectBuild';
import { HeaderWatch } from './headerWatch';
import type { BuildFacts } from './engine/preprocessor';
import { languageFor } from './parsing/parser';

export const SERVER_NAME = 'ecp-lens';

/** A feature module: registers its LSP handlers on attach and declares its capabilities. */
export interface ServerFeature {
  attach(server: EcpLensServer, connection: Connection): void;
  capabilities?(caps: ServerCapabilities, params: InitializeParams): void;
}
import { HalfTypedFilter } from './halfTyped';
import { SERVER_VERSION } from './version';
import { plural } from './util/plural';
export { SERVER_VERSION };

export class EcpLensServer {
  readonly documents = new DocumentStore();
  settings: Settings = DEFAULT_SETTINGS;
  private connection: Connection | undefined;
  private readonly debouncer = new Debouncer();
  private supportsConfiguration = false;
  private supportsProgress = false;
  private supportsWatchRegistration = false;
  private workspaceFolders: string[] = [];
  readonly workspaceIndex = new WorkspaceIndex();
  private settingsGeneration = 0;
  /** The compile database of the workspace (include folders, defines, language per file). */
  readonly build = new ProjectBuild({ log: (m) => this.log(m), warn: (m) => this.warn(m) });
  /** Headers read outside the workspace are watched; a change on disk re-checks their readers. */
  private readonly headerWatch = new HeaderWatch((file) => this.guard('headerChange', () => this.onHeaderChanged(pathToFileURL(file).toString())), (m) => this.log(m));
  private supportsRelativePatterns = false;
  /** Headers (index keys) the program files' models read, whichever analysis built them. */
  private readonly programHeaders = new Set<string>();

  constructor() {
    // Functions of open documents run at their callers with the buffer's text, not the disk's.
    this.workspaceIndex.program.readOpen = (key) => this.openByKey(key);
    this.workspaceIndex.program.buildFor = (uri) => this.buildFacts(uri);
    // The headers of program files count as read by the analysis that runs them.
    this.workspaceIndex.program.includeReaderFor = (uri) => this.includeReader(uri, (file) => this.programHeaders.add(indexKey(pathToFileURL(file).toString())));
    // The index reads each file as analysing it does: its build configuration and its headers.
    this.workspaceIndex.viewOf = (file) => {
      const root = this.folderOf(file);
      const build = this.build.forUri(pathToFileURL(file).toString());
      return root === undefined && !build ? undefined : { build: build?.facts, includePaths: build?.includePaths ?? [], root: root ?? path.dirname(file) };
    };
  }

  attach(connection: Connection): void {
    this.connection = connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      this.initialized().catch((err) => this.log(`initialisation failed: ${String(err)}`));
    });
    connection.onDidOpenTextDocument((p) => this.guard('didOpen', () => {
      const { uri, languageId } = p.textDocument;
      const stored = this.documents.open(uri, languageId, p.textDocument.version, p.textDocument.text, this.languageOf(uri, languageId));
      this.workspaceIndex.open.add(indexKey(p.textDocument.uri));
      if (!isLanguageLoaded(stored.language)) this.loadGrammarFor(stored);
      this.scheduleDiagnostics(p.textDocument.uri, true);
      this.scheduleIncluders(p.textDocument.uri);
    }));
    connection.onDidChangeTextDocument((p) => this.guard('didChange', () => {
      this.documents.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
      this.scheduleDiagnostics(p.textDocument.uri, false);
      this.scheduleIncluders(p.textDocument.uri);
    }));
    connection.onDidCloseTextDocument((p) => this.guard('didClose', () => {
      this.debouncer.cancel(p.textDocument.uri);
      this.publications.delete(p.textDocument.uri);
      this.documents.close(p.textDocument.uri);
      this.halfTyped.forget(p.textDocument.uri);
      // The saved file is the truth again once the buffer closes.
      this.workspaceIndex.open.delete(indexKey(p.textDocument.uri));
      if (this.workspaceFolders.length > 0) this.workspaceIndex.updateFromDisk(p.textDocument.uri);
      // Its includers read the disk's text again.
      this.headersRead.delete(p.textDocument.uri);
      this.scheduleIncluders(p.textDocument.uri);
      void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
      void connection.sendNotification(CoverageNotification, { uri: p.textDocument.uri, functions: 0, gaps: [] });
    }));
    connection.onDidChangeConfiguration((p) => void this.refreshSettings(p.settings));
    connection.onShutdown(() => this.dispose());
    for (const feature of this.features) feature.attach(this, connection);
  }

  /** Feature modules: each registers its handlers and adds its capabilities. */
  private readonly features: ServerFeature[] = [];

  use(feature: ServerFeature): this {
    this.features.push(feature);
    return this;
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.supportsConfiguration = Boolean(params.capabilities.workspace?.configuration);
    this.supportsProgress = Boolean(params.capabilities.window?.workDoneProgress);
    this.supportsWatchRegistration = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    this.supportsRelativePatterns = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport);
    this.workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (this.workspaceFolders.length === 0 && params.rootUri) this.workspaceFolders = [params.rootUri];
    this.settings = normalizeSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
    this.loadBuild();
    await initParser();
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    };
    for (const feature of this.features) feature.capabilities?.(capabilities, params);
    return { capabilities, serverInfo: { name: SERVER_NAME, version: SERVER_VERSION } };
  }

  private initializedOnce = false;
  /** Findings of functions while they are half-typed (halfTyped.ts). */
  private readonly halfTyped = new HalfTypedFilter();

  private async initialized(): Promise<void> {
    if (this.supportsConfiguration) await this.refreshSettings(undefined);
    // The first line of the output channel: what runs, on what, with which settings.
    this.log(`ECP Lens server ${SERVER_VERSION} on Node ${process.version}; settings in effect: ${JSON.stringify(this.settings)}`);
    this.initializedOnce = true;
    this.build.ready();
    await this.watchDatabase();
    const connection = this.supportsWatchRegistration ? this.connection : undefined;
    if (connection) {
      // One watcher per folder, for its files (not below it): the server reacts only to headers an analysis read.
      this.headerWatch.register = (folder, folderUri) =>
        connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: this.supportsRelativePatterns ? { baseUri: folderUri, pattern: '*' } : `${folder.replace(/\\/g, '/')}/*` }] });
    }
    this.connection?.onNotification(DidChangeWatchedFilesNotification.type, (p) => this.guard('watchedFiles', () => {
      for (const change of p.changes) this.onWatchedFile(change.uri, change.type);
    }));
    await this.indexWorkspace();
  }

  /** Indexes the workspace folders in the background (for cross-file rules), with progress. */
  private async indexWorkspace(): Promise<void> {
    const folders = this.workspaceFolders.filter((u) => u.startsWith('file:'));
    if (!this.settings.workspaceIndexing || folders.length === 0) {
      this.status({ state: 'ready', message: 'ECP Lens is ready' });
      return;
    }
    this.status({ state: 'indexing', message: 'ECP Lens: indexing the workspace' });
    const progress = await this.progress();
    const started = Date.now();
    const count = await this.workspaceIndex.indexFolders(folders, progress);
    // Which thread read them: a missing dist/indexWorker.js (once left out of the packages) shows here.
    const by = this.workspaceIndex.indexedBy;
    this.log(`indexed ${count} C/C++ files in ${Date.now() - started} ms${by ? ` (read by ${by})` : ''}`);
    if (this.workspaceIndex.workerProblem) this.log(`${this.workspaceIndex.workerProblem}; the rest was indexed on the server's thread`);
    const incomplete = this.workspaceIndex.incompleteReason;
    if (incomplete) this.log(`the workspace index is incomplete, so ecp-lookaside-not-deleted and the lifecycle findings that involve other files are not reported: ${incomplete}`);
    const ready = `ECP Lens is ready (${plural(count, 'file')} indexed${incomplete ? '; index incomplete' : ''})`;
    this.status({ state: 'ready', message: ready, indexed: count, ...(incomplete ? { incomplete } : {}) });
    for (const uri of this.documents.uris()) this.scheduleDiagnostics(uri, true);
  }

  private async progress(): Promise<IndexProgress> {
    if (!this.supportsProgress || !this.connection) return { begin() {}, report() {}, done() {} };
    const reporter = await this.connection.window.createWorkDoneProgress();
    return {
      begin: (title, total) => reporter.begin(title, 0, `0/${total} files`, false),
      report: (done, total, message) => reporter.report(total > 0 ? Math.round((done / total) * 100) : 100, message),
      done: () => reporter.done(),
    };
  }

  private onWatchedFile(uri: string, type: number): void {
    if (this.build.concerns(uri)) {
      this.reloadBuild();
      return;
    }
    if (this.documents.get(uri) || !uri.startsWith('file:')) return;
    if (!this.folderOf(fileURLToPath(uri))) {
      // Outside the workspace: a header some analysis read, or nothing of ours.
      this.onHeaderChanged(uri);
      return;
    }
    // A header the open documents read is part of their analysis key.
    this.headerWatch.changed(indexKey(uri));
    if (type === FileChangeType.Deleted) this.workspaceIndex.remove(uri);
    else this.workspaceIndex.updateFromDisk(uri);
    for (const open of this.documents.uris()) this.scheduleDiagnostics(open, false);
  }

  private async watchDatabase(): Promise<void> {
    const connection = this.supportsWatchRegistration ? this.connection : undefined;
    await this.build.watchNamed(this.settings.compileCommands.trim() !== '', connection && ((glob) => connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: glob }] })));
  }

  private loadBuild(): void {
    const folders = this.workspaceFolders.filter((f) => f.startsWith('file:')).map((f) => fileURLToPath(f));
    this.build.load(folders, this.settings.compileCommands);
  }

  /** The compile database changed (on disk or in the settings): re-read it, re-check every open document. */
  private reloadBuild(): void {
    this.loadBuild();
    // The index's facts were read under the old configuration.
    if (this.initializedOnce) void this.indexWorkspace().catch((err) => this.log(`indexing failed: ${String(err)}`));
    for (const uri of this.documents.uris()) {
      const stored = this.documents.get(uri)!;
      if (this.documents.setLanguage(uri, this.languageOf(uri, stored.document.languageId)) && stored.language === 'cpp') this.loadGrammarFor(stored);
      this.scheduleDiagnostics(uri, true);
    }
  }

  /** The language the build compiles the document as, else what its name and languageId say. */
  private languageOf(uri: string, languageId: string) {
    return this.build.forUri(uri)?.facts.language ?? languageFor(uri, { languageId });
  }

  /** What the build configuration says about the document (undefined: nothing). */
  buildFacts(uri: string): BuildFacts | undefined {
    return this.build.forUri(uri)?.facts;
  }

  /** GUIDs defined anywhere in the indexed workspace (for completion). */
  workspaceGuids(): string[] {
    return this.workspaceIndex.guids();
  }

  private async refreshSettings(pushed: unknown): Promise<void> {
    let raw: unknown = (pushed as { ecpLens?: unknown } | undefined)?.ecpLens;
    if (this.supportsConfiguration && this.connection) {
      try {
        raw = await this.connection.workspace.getConfiguration('ecpLens');
      } catch (err) {
        this.log(`could not read settings: ${String(err)}`);
      }
    }
    const wasIndexing = this.settings.workspaceIndexing;
    const database = this.settings.compileCommands;
    if (raw !== undefined) this.settings = normalizeSettings(raw);
    this.settingsGeneration++;
    if (this.settings.compileCommands !== database) {
      this.reloadBuild();
      if (this.initializedOnce) await this.watchDatabase();
    }
    if (!wasIndexing && this.settings.workspaceIndexing && this.initializedOnce) void this.indexWorkspace().catch((err) => this.log(`indexing failed: ${String(err)}`));
    for (const uri of this.documents.uris()) this.scheduleDiagnostics(uri, true);
  }

  /** What the other files of the workspace tell an analysis or a simulation of `uri`, if indexed. */
  workspaceFacts(uri: string): WorkspaceFacts | undefined {
    const indexed = this.workspaceFolders.length > 0 && this.settings.workspaceIndexing;
    return indexed ? this.workspaceIndex.factsFor(uri) : undefined;
  }

  /**
   * The analysis of the current version, computed once per version and inputs. It runs in slices
   * of about a function (hover, completion and signature help are answered in between), one
   * document at a time; callers asking while it runs share it. A change or close of the document
   * stops it (`WorkStopped`, outdated); `token` stops only this caller's wait (RequestCancelled).
   */
  analysis(stored: StoredDocument, token?: CancellationToken): Promise<AnalysisResult> {
    // Keyed by what this document depends on: the other files' facts, not the index's generation
    // (which also moves when this document shares its own facts).
    const workspace = this.workspaceFacts(stored.uri);
    const factsKey = workspace ? `${workspace.complete}|${workspace.programKey ?? ''}|${workspace.lifecycleKey ?? ''}|${[...workspace.lookasideDeletes].sort().join(',')}|${[...workspace.lookasideInits].map(([n, u]) => `${n}=${u.flags}:${u.family}`).sort().join(',')}` : '-';
    const build = this.buildFacts(stored.uri);
    const base = `analysis@${factsKey}/${this.settingsGeneration}/${this.build.generation}:${build?.key ?? '-'}`;
    const key = `${base}/${this.headersKey(stored.uri)}`;
    const done = stored.cache.get(key) as AnalysisResult | undefined;
    if (done) return Promise.resolve(done);
    let running = stored.cache.get(`${key}#running`) as Promise<AnalysisResult> | undefined;
    if (!running) {
      running = this.analyses.then(() => this.runAnalysis(stored, base, key, workspace, build));
      // The next analysis starts when this one ends, however it ends.
      this.analyses = running.then(() => undefined, () => undefined);
      stored.cache.set(`${key}#running`, running);
    }
    return token ? untilCancelled(running, token) : running;
  }

  /** Analyses run one after the other: each pins its document's tree only while it runs. */
  private analyses: Promise<void> = Promise.resolve();

  private async runAnalysis(stored: StoredDocument, base: string, key: string, workspace: WorkspaceFacts | undefined, build: BuildFacts | undefined): Promise<AnalysisResult> {
    const version = stored.version;
    const stopReason = () => (this.documents.get(stored.uri) === stored && stored.version === version ? undefined : 'outdated' as const);
    if (stopReason()) throw new WorkStopped('outdated');
    this.documents.pin(stored.uri);
    const read = new Set<string>();
    try {
      const readInclude = this.includeReader(stored.uri, (file) => read.add(indexKey(pathToFileURL(file).toString())));
      const work = analyzeParsedInSlices(stored.parsed, stored.document.getText(), { settings: this.settings, workspace, readInclude, build, lazyFixes: true, model: this.documents.fileModel(stored) });
      const result = await runInSlices(work, { stopReason });
      for (const line of result.log) this.log(`${stored.uri}: ${line}`);
      // The program files' headers too: their models are built once and kept, so an analysis that
      // finds one built reads none of them itself (all count, as any caller may reach any wrapper).
      for (const key of this.programHeaders) read.add(key);
      this.headersRead.set(stored.uri, read);
      this.headerWatch.watchOutside([...read].filter((k) => path.isAbsolute(k)), this.folderPaths());
      stored.cache.set(key, result);
      // Found under the headers it read, which the next request's key names.
      stored.cache.set(`${base}/${this.headersKey(stored.uri)}`, result);
      return result;
    } finally {
      stored.cache.delete(`${key}#running`);
      this.documents.unpin(stored.uri);
    }
  }

  /** Headers (index keys) each open document's latest analysis read. */
  private readonly headersRead = new Map<string, Set<string>>();

  /** The state of the headers the document's latest analysis read: the open ones' versions, the changes on disk of the others. */
  private headersKey(uri: string): string {
    return `${this.openHeadersKey(uri)}|${this.headerWatch.keyOf(this.headersRead.get(uri))}`;
  }

  /** A file outside the workspace changed on disk: the documents whose analysis read it are checked again. */
  private onHeaderChanged(uri: string): void {
    const key = indexKey(uri);
    if (this.documents.get(uri) || ![...this.headersRead.values()].some((read) => read.has(key))) return;
    this.headerWatch.changed(key);
    this.scheduleIncluders(uri);
  }

  private folderPaths(): string[] {
    return this.workspaceFolders.filter((f) => f.startsWith('file:')).map((f) => fileURLToPath(f));
  }

  /** Which of the headers the document's latest analysis read are open, at which version. */
  private openHeadersKey(uri: string): string {
    const read = this.headersRead.get(uri);
    if (!read || read.size === 0) return '';
    const open: string[] = [];
    for (const other of this.documents.uris()) if (other !== uri && read.has(indexKey(other))) open.push(`${indexKey(other)}@${this.documents.get(other)!.version}`);
    return open.sort().join(',');
  }

  /** `uri` changed (opened, edited, closed): the open documents whose analysis read it as a header are checked again. */
  private scheduleIncluders(uri: string): void {
    const key = indexKey(uri);
    for (const [other, read] of this.headersRead) if (other !== uri && read.has(key) && this.documents.get(other)) this.scheduleDiagnostics(other, false);
  }

  /** Reads the document's includes: quoted ones inside its workspace folder, then the build's include folders. */
  includeReader(uri: string, onRead?: (file: string) => void): IncludeReader | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const file = fileURLToPath(uri);
    return includeReaderFor(file, this.folderOf(file), this.build.forUri(uri)?.includePaths, { readOpen: (header) => this.openText(header), onRead, onUnread: (header, reason) => this.headerUnread(uri, header, reason) });
  }

  /** Headers already said to be unread, with their reason: each is logged once, not on every edit. */
  private readonly unreadHeaders = new Set<string>();

  /** A header that exists but is not read (a FIFO, a device, too large) is named in the log, as a skipped source is. */
  private headerUnread(uri: string, header: string, reason: string): void {
    const said = `${header}\0${reason}`;
    if (this.unreadHeaders.has(said)) return;
    this.unreadHeaders.add(said);
    this.log(`${uri}: header ${header} not read: ${reason}; what it defines is not known to the analysis`);
  }

  /** The buffer of the document open at this path, if one is. */
  private openText(file: string): string | undefined {
    return this.openByKey(indexKey(pathToFileURL(file).toString()));
  }

  /** The buffer of the document open under this index key, if one is. */
  private openByKey(key: string): string | undefined {
    const uri = this.documents.uris().find((u) => indexKey(u) === key);
    return uri ? this.documents.get(uri)?.document.getText() : undefined;
  }

  /** The workspace folder holding a file (path), if any. */
  private folderOf(file: string): string | undefined {
    return this.workspaceFolders.filter((f) => f.startsWith('file:')).map((f) => fileURLToPath(f)).find((dir) => !path.relative(dir, file).startsWith('..'));
  }

  /** After publishing, what this document tells other documents (lookaside pairs, GUIDs). */
  private shareFacts(stored: StoredDocument, result: AnalysisResult): void {
    const before = this.workspaceIndex.generation;
    this.workspaceIndex.setFacts(stored.uri, {
      lookasideInits: result.file.lookasideInits,
      lookasideDeletes: result.file.lookasideDeletes,
      guids: definedGuids(stored.document.getText()),
      lifecycle: result.file.lifecycle,
      ...result.file.program,
    });
    if (this.workspaceIndex.generation === before) return;
    for (const uri of this.documents.uris()) if (uri !== stored.uri) this.scheduleDiagnostics(uri, false);
  }

  /** Findings of the current version of an open document. */
  async findingsFor(uri: string, token?: CancellationToken): Promise<Finding[] | undefined> {
    const stored = this.documents.get(uri);
    return stored ? (await this.analysis(stored, token)).findings : undefined;
  }

  /** Loads a grammar the first time a document needs it (C++), then re-parses and re-checks. */
  private loadGrammarFor(stored: StoredDocument): void {
    loadLanguage(stored.language).then(
      () => {
        for (const uri of this.documents.uris()) {
          if (this.documents.refreshLanguage(uri)) this.scheduleDiagnostics(uri, true);
        }
      },
      (err) => this.log(`could not load the ${stored.language} grammar: ${String(err)}`),
    );
  }

  private scheduleDiagnostics(uri: string, immediate: boolean): void {
    const delay = immediate ? 0 : this.settings.diagnosticsDelay;
    this.debouncer.schedule(uri, delay, () => void this.publishDiagnostics(uri));
  }

  /** Per document, the latest publication started: an older one still running publishes nothing. */
  private readonly publications = new Map<string, number>();
  private publicationCount = 0;

  private async publishDiagnostics(uri: string): Promise<void> {
    const stored = this.documents.get(uri);
    if (!stored || !this.connection) return;
    // A C++ document parsed as C while its grammar loads is checked once the grammar is there.
    if (stored.parsed.language !== stored.language) return;
    const version = stored.version;
    const publication = ++this.publicationCount;
    this.publications.set(uri, publication);
    let result: AnalysisResult | undefined;
    try {
      result = await this.analysis(stored);
    } catch (err) {
      // Stopped by a change or close: the newer version is published by its own schedule.
      if (err instanceof WorkStopped) return;
      this.log(`analysis failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    if (this.documents.get(uri) !== stored || stored.version !== version || this.publications.get(uri) !== publication) return;
    this.publications.delete(uri);
    if (result && this.workspaceFolders.length > 0) this.guard('shareFacts', () => this.shareFacts(stored, result));
    const shown = result ? this.halfTyped.filter(uri, this.documents.fileModel(stored), result.findings) : [];
    void this.connection.sendDiagnostics({ uri, version, diagnostics: shown.map((f) => toDiagnostic(uri, f)) });
    if (result) void this.connection.sendNotification(CoverageNotification, documentCoverage(uri, result.file.coverage));
  }

  status(status: ServerStatus): void {
    void this.connection?.sendNotification(ServerStatusNotification, status);
  }

  /** A warning for the user (a notification: nothing waits for an answer). */
  warn(message: string): void {
    void this.connection?.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: clipMessage(message) });
  }

  log(message: string): void {
    this.connection?.console.log(clipMessage(message));
  }

  /** Runs a handler; an exception is logged and never takes the server down. */
  guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.log(`${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  /**
   * Runs an async request handler: work a cancellation or an edit stopped is answered with its
   * LSP error; any other exception is logged and `fallback` answered.
   */
  async guardRequest<T>(method: string, fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WorkStopped) throw stoppedError(method, err);
      this.log(`${method} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return fallback;
    }
  }

  dispose(): void {
    this.debouncer.dispose();
    this.headerWatch.dispose();
    this.documents.dispose();
  }
}

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

function docLink(code: string): Pick<Diagnostic, 'codeDescription'> {
  const href = ruleDocUrl(code);
  return href ? { codeDescription: { href } } : {};
}

export function toDiagnostic(uri: string, f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    ...docLink(f.code),
    source: SERVER_NAME,
    message: clipMessage(f.message),
    relatedInformation: f.related.map((r) => ({ location: { uri: r.uri ?? uri, range: r.range }, message: clipMessage(r.message) })),
  };
}
