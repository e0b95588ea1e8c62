/**
 * Background index of the workspace's C/C++ files for the rules and completions that look across
 * files: which ECP lookaside lists are initialised and deleted where, and which GUIDs are defined.
 * Indexing runs in small slices so requests are never starved, and reports progress.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseText } from './parsing/parser';
import { buildFileModel } from './engine/fileModel';
import { checkSyntax, type LookasideUse } from './rules/syntactic';
import type { WorkspaceFacts } from './engine/analyzeFile';
import { SOURCE_EXTENSIONS, looksBinary } from './cli/files';

export interface FileFacts {
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  guids: string[];
}

export interface IndexProgress {
  begin(title: string, total: number): void;
  report(done: number, total: number, message: string): void;
  done(): void;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', '.vs', 'out', 'x64', 'Debug', 'Release']);
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 20_000;

export class WorkspaceIndex {
  private readonly files = new Map<string, FileFacts>();
  private state: 'none' | 'indexing' | 'complete' = 'none';
  /** Changes whenever the facts change, so cached analyses can be told apart. */
  generation = 0;

  get complete(): boolean {
    return this.state !== 'indexing';
  }

  /** Facts from every file but `uri` (the open document speaks for itself). */
  factsFor(uri: string): WorkspaceFacts {
    const deletes = new Set<string>();
    const inits = new Map<string, LookasideUse>();
    for (const [other, facts] of this.files) {
      if (other === uri) continue;
      for (const d of facts.lookasideDeletes) deletes.add(d.name);
      for (const i of facts.lookasideInits) inits.set(i.name, i);
    }
    return { lookasideDeletes: deletes, lookasideInits: inits, complete: this.complete };
  }

  guids(): string[] {
    const all = new Set<string>();
    for (const f of this.files.values()) for (const g of f.guids) all.add(g);
    return [...all].sort();
  }

  size(): number {
    return this.files.size;
  }

  /** Records the facts of one file's text (an open document, or a file read from disk). */
  update(uri: string, text: string): void {
    this.files.set(uri, factsOf(text));
    this.generation++;
  }

  /**
   * Facts of an open document from its latest analysis; the generation moves only when they
   * differ, so other documents are re-checked only when something they depend on changed.
   */
  setFacts(uri: string, facts: FileFacts): void {
    const key = (f: FileFacts | undefined) => (f ? JSON.stringify([f.lookasideInits.map((u) => [u.name, u.flags]), f.lookasideDeletes.map((u) => u.name), f.guids]) : '');
    if (key(this.files.get(uri)) === key(facts)) return;
    this.files.set(uri, facts);
    this.generation++;
  }

  remove(uri: string): void {
    if (this.files.delete(uri)) this.generation++;
  }

  /** Indexes every C/C++ file under the folders; yields between slices. */
  async indexFolders(folderUris: string[], progress: IndexProgress, isCancelled: () => boolean = () => false): Promise<number> {
    const paths = folderUris.filter((u) => u.startsWith('file:')).flatMap((u) => listSources(fileURLToPath(u)));
    this.state = 'indexing';
    progress.begin('ECP Lens: indexing C/C++ files', paths.length);
    let done = 0;
    for (const file of paths) {
      if (isCancelled()) break;
      const text = readSource(file);
      if (text !== undefined) this.files.set(pathToFileURL(file).toString(), factsOf(text));
      done++;
      if (done % 20 === 0) {
        progress.report(done, paths.length, `${done}/${paths.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.state = 'complete';
    this.generation++;
    progress.done();
    return done;
  }
}

export function factsOf(text: string): FileFacts {
  const parsed = parseText(text);
  try {
    const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
    const syntax = checkSyntax(parsed.tree, model);
    return { lookasideInits: syntax.lookasideInits, lookasideDeletes: syntax.lookasideDeletes, guids: definedGuids(text) };
  } finally {
    parsed.tree.delete();
  }
}

/** `DEFINE_GUID(NAME, ...)` and `const GUID NAME = {...}` definitions. */
export function definedGuids(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bDEFINE_GUID\s*\(\s*([A-Za-z_]\w*)/g)) names.add(m[1]);
  for (const m of text.matchAll(/\bGUID\s+([A-Za-z_]\w*)\s*=\s*\{/g)) names.add(m[1]);
  return [...names];
}

function listSources(root: string): string[] {
  const out: string[] = [];
  const pending = [root];
  while (pending.length > 0 && out.length < MAX_FILES) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) pending.push(full);
      else if (e.isFile() && SOURCE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
    }
  }
  return out.sort();
}

function readSource(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) return undefined;
    const buffer = fs.readFileSync(file);
    return looksBinary(buffer) ? undefined : buffer.toString('utf8');
  } catch {
    return undefined;
  }
}
