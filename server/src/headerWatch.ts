/**
 * Headers the analyses read, as the editor's documents depend on them on disk. The client's own
 * watcher covers the workspace folders; a header found outside them (an include folder of the
 * build, a forced include) is watched here: through the client's dynamic registration of a
 * file watcher for its folder when the client offers one, else with `fs.watch` on that folder
 * (a folder is only listened to: nothing in it is opened, and headers are read, as always, only
 * when they are regular files). A change on disk stamps the header, and the stamp is part of the
 * analysis key of each document that read it, so those documents are analysed again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** At most this many folders outside the workspace are watched (each is one registration or one `fs.watch`). */
const MAX_FOLDERS = 64;
/** At most this many changed files are remembered (older stamps go: their readers were analysed again since). */
const MAX_STAMPS = 4096;

export interface Disposable {
  dispose(): void;
}

/** Registers a watcher for one folder's files with the client (the folder's path and file URL). */
export type RegisterFolder = (folder: string, folderUri: string) => Promise<Disposable>;

export class HeaderWatch {
  /** Changes seen on disk, by index key. */
  private readonly stamps = new Map<string, number>();
  private readonly folders = new Map<string, Disposable | undefined>();
  private changes = 0;

  constructor(
    private readonly onChange: (file: string) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** How the client registers a watcher (undefined: it cannot; `fs.watch` is used). */
  register: RegisterFolder | undefined;

  /** A file changed on disk (a watched-file event, or `fs.watch`). */
  changed(key: string): void {
    this.stamps.delete(key);
    if (this.stamps.size >= MAX_STAMPS) this.stamps.delete(this.stamps.keys().next().value!);
    this.stamps.set(key, ++this.changes);
  }

  /** The part of a document's analysis key that changes when a header it read changes on disk. */
  keyOf(read: Set<string> | undefined): string {
    if (!read || read.size === 0 || this.stamps.size === 0) return '';
    const out: string[] = [];
    // Whichever is smaller is walked: a document reads a few headers, a build can touch thousands of files.
    if (read.size <= this.stamps.size) {
      for (const key of read) {
        const n = this.stamps.get(key);
        if (n !== undefined) out.push(`${key}#${n}`);
      }
    } else for (const [key, n] of this.stamps) if (read.has(key)) out.push(`${key}#${n}`);
    return out.sort().join(',');
  }

  /** Watches the folders of the headers (paths) that are outside `roots` (the workspace folders). */
  watchOutside(headers: Iterable<string>, roots: string[]): void {
    for (const file of headers) {
      if (!path.isAbsolute(file)) continue;
      // Every analysis passes its headers: a folder already decided costs one lookup.
      const folder = path.dirname(file);
      if (this.folders.has(folder) || roots.some((r) => isInside(r, file))) continue;
      if (this.folders.size >= MAX_FOLDERS) {
        this.log(`not watching ${folder} for header changes: ${MAX_FOLDERS} folders outside the workspace are watched already`);
        this.folders.set(folder, undefined);
        continue;
      }
      this.folders.set(folder, undefined);
      void this.watchFolder(folder);
    }
  }

  private async watchFolder(folder: string): Promise<void> {
    try {
      const watch = this.register ? await this.register(folder, pathToFileURL(folder).toString()) : this.fsWatch(folder);
      if (this.folders.has(folder)) this.folders.set(folder, watch);
      else watch?.dispose();
    } catch (err) {
      this.log(`could not watch ${folder} for header changes: ${String(err)}`);
    }
  }

  /** Listens to a folder (never a file: a FIFO or a device is not opened); events name the file. */
  private fsWatch(folder: string): Disposable | undefined {
    if (!fs.statSync(folder).isDirectory()) return undefined;
    const watcher = fs.watch(folder, { persistent: false }, (_event, name) => {
      if (name) this.onChange(path.join(folder, name.toString()));
    });
    watcher.on('error', (err) => {
      this.log(`stopped watching ${folder} for header changes: ${String(err)}`);
      watcher.close();
    });
    return { dispose: () => watcher.close() };
  }

  dispose(): void {
    for (const w of this.folders.values()) w?.dispose();
    this.folders.clear();
  }
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}
