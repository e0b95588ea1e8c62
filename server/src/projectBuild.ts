/**
 * The editor's build configuration: the compile database named by `ecpLens.compileCommands`, or
 * found at a workspace folder's root or in its `build/` folder, re-read when it changes. The CLI
 * reads the same file format through the same BuildConfiguration, so both see one configuration.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildConfiguration, CompileDbError, compileDbCandidates, type FileBuild } from './build/buildConfig';

export class ProjectBuild {
  private config: BuildConfiguration | undefined;
  /** The database in use, or the one that failed to load. */
  dbPath: string | undefined;
  /** Changes whenever the configuration is re-read: part of each document's analysis key. */
  generation = 0;
  private candidates: string[] = [];
  /** Warnings wait until the client is initialised (a database read during initialize is early). */
  private pending: string[] | undefined = [];
  private watch: { dispose(): void } | undefined;

  constructor(private readonly report: { log(message: string): void; warn(message: string): void }) {}

  /** The client can show messages now: the warnings held back are shown. */
  ready(): void {
    const held = this.pending ?? [];
    this.pending = undefined;
    for (const m of held) this.report.warn(m);
  }

  private warn(message: string): void {
    this.report.log(message);
    if (this.pending) this.pending.push(message);
    else this.report.warn(message);
  }

  /**
   * A database the setting names is watched wherever it is, through `register` (the client's
   * dynamic registration, when it has one); compile_commands.json is watched by the client itself.
   */
  async watchNamed(named: boolean, register: ((glob: string) => Promise<{ dispose(): void }>) | undefined): Promise<void> {
    this.watch?.dispose();
    this.watch = undefined;
    if (!named || !this.dbPath || !register) return;
    try {
      this.watch = await register(this.dbPath.replace(/\\/g, '/'));
    } catch (err) {
      this.report.log(`could not watch ${this.dbPath}: ${String(err)}`);
    }
  }

  /** Finds and reads the database for these folders (paths) and setting. */
  load(folders: string[], setting: string): void {
    const named = setting.trim();
    const resolved = named ? resolveSetting(named, folders[0]) : undefined;
    this.candidates = resolved ? [resolved] : folders.flatMap(compileDbCandidates);
    const found = resolved ?? this.candidates.find((c) => isFile(c));
    const before = this.dbPath;
    this.config = undefined;
    this.dbPath = found;
    this.generation++;
    if (!found) {
      if (before) this.report.log(`no compile database any more (was ${before}); files are analysed without a build configuration`);
      return;
    }
    try {
      this.config = BuildConfiguration.load(found);
      this.report.log(`compile database ${found}: ${this.config.size} files`);
    } catch (err) {
      const message = err instanceof CompileDbError ? err.message : String(err);
      this.warn(`ECP Lens: ${message}. Files are analysed without a build configuration.`);
    }
  }

  /** What the database says about the document, if it lists it. */
  forUri(uri: string): FileBuild | undefined {
    if (!this.config || !uri.startsWith('file:')) return undefined;
    return this.config.forFile(fileURLToPath(uri));
  }

  /** Whether a changed file is the database in use, or one that would be found now. */
  concerns(uri: string): boolean {
    if (!uri.startsWith('file:')) return false;
    const file = path.resolve(fileURLToPath(uri));
    return file === this.dbPath || this.candidates.includes(file);
  }
}

/** `${workspaceFolder}` and paths relative to the first workspace folder, as VS Code settings read. */
function resolveSetting(setting: string, folder: string | undefined): string {
  const expanded = folder ? setting.replace(/\$\{workspaceFolder\}/g, folder) : setting;
  return path.resolve(folder ?? process.cwd(), expanded);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
