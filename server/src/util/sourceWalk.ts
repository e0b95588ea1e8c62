/**
 * Lists the C/C++ sources under a folder for the CLI and the workspace index. Symbolic links are
 * followed to regular files and folders, each real file and folder once (a link back into a
 * folder above it is a loop, not a second visit); everything passed over that could have
 * been a source or a folder of sources is listed with its reason, so nothing is skipped silently.
 * Links are followed after the plain tree is walked, so a file reached both ways is reported
 * under its own path and the link is the one listed as the same file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeKind, isInside, plainError, realRoots } from './safeRead';

export const SOURCE_EXTENSIONS = new Set(['.c', '.h', '.cpp', '.hpp', '.cc', '.cxx', '.inl']);

export function isSourceName(name: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

export interface Skipped {
  path: string;
  reason: string;
  /**
   * Set when sources may have gone unread, so the program is not known whole: `outside`, a link
   * to a file or folder outside the roots; `unread`, a source or folder that could not be read.
   */
  kind?: 'outside' | 'unread';
}

/**
 * Folders no walk enters, the CLI's and the workspace index's alike (so both see the same
 * program): dependencies, build output and, like every folder whose name starts with a dot,
 * version control and editor state.
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'out', 'x64', 'Debug', 'Release']);

export interface WalkOptions {
  /** Links are followed only to targets inside these folders (real paths); none means anywhere. */
  roots?: string[];
  /** Stop after this many files; `truncated` then says there were more. */
  maxFiles?: number;
}

export interface WalkResult {
  files: string[];
  skipped: Skipped[];
  truncated: boolean;
}

/** Shared between walks of several folders, so a file reached from two of them is read once. */
export interface WalkState {
  /** Real path of each folder walked → the path it was first walked under. */
  seenDirs: Map<string, string>;
  seenFiles: Map<string, string>;
}

export function newWalkState(): WalkState {
  return { seenDirs: new Map(), seenFiles: new Map() };
}

export function walkSources(root: string, options: WalkOptions = {}, state: WalkState = newWalkState(), result: WalkResult = { files: [], skipped: [], truncated: false }): WalkResult {
  const roots = options.roots ? realRoots(options.roots) : undefined;
  const walker = new Walker(options, roots, state, result);
  walker.enterFolder(root);
  walker.followDeferredLinks();
  return result;
}

class Walker {
  /** Links met in folders, followed once the plain tree under the root is walked. */
  private readonly links: Array<{ full: string; name: string }> = [];

  constructor(
    private readonly options: WalkOptions,
    private readonly roots: string[] | undefined,
    private readonly state: WalkState,
    private readonly result: WalkResult,
  ) {}

  private skip(p: string, reason: string, kind?: Skipped['kind']): void {
    this.result.skipped.push({ path: p, reason, ...(kind ? { kind } : {}) });
  }

  enterFolder(dir: string): void {
    if (this.result.truncated) return;
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      const first = this.state.seenDirs.get(real);
      if (first !== undefined) {
        // A link into a folder above it is a loop; into one walked beside it, a second way there.
        if (isInside(fs.realpathSync(path.dirname(dir)), [real])) this.skip(dir, `a symlink loop: ${real} is already being checked`);
        else this.skip(dir, `the same folder as ${first}`);
        return;
      }
      this.state.seenDirs.set(real, dir);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      this.skip(dir, `folder ${plainError(err).reason}`, 'unread');
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (this.result.truncated) return;
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) this.links.push({ full, name: entry.name });
      else if (entry.isDirectory()) this.maybeEnter(full, entry.name);
      else if (isSourceName(entry.name)) this.sourceEntry(full, entry.isFile() ? undefined : kindOf(full));
    }
  }

  followDeferredLinks(): void {
    for (let link = this.links.shift(); link; link = this.links.shift()) {
      if (this.result.truncated) return;
      this.followLink(link.full, link.name);
    }
  }

  private maybeEnter(full: string, name: string): void {
    if (SKIPPED_DIRS.has(name) || name.startsWith('.')) return;
    this.enterFolder(full);
  }

  private followLink(full: string, name: string): void {
    let target: fs.Stats;
    let real: string;
    try {
      real = fs.realpathSync(full);
      target = fs.statSync(real);
    } catch (err) {
      const plain = plainError(err);
      if (plain.kind === 'missing') this.skip(full, 'a broken symlink (its target does not exist)');
      else this.skip(full, plain.reason, plain.kind === 'loop' ? undefined : 'unread');
      return;
    }
    const isSource = isSourceName(name);
    if (!target.isDirectory() && !isSource) return;
    // A device, FIFO or socket is no source wherever it is: skipped as such, it hides no code
    // from the program (called "outside the workspace", it left the index incomplete and held
    // back every cross-file finding).
    if (!target.isDirectory() && !target.isFile()) {
      this.sourceEntry(full, describeKind(target));
      return;
    }
    if (this.roots && !isInside(real, this.roots)) {
      this.result.skipped.push({ path: full, reason: `a symlink to ${real}, outside the workspace`, kind: 'outside' });
      return;
    }
    if (target.isDirectory()) this.maybeEnter(full, name);
    else this.sourceEntry(full, undefined);
  }

  /** `notRegular` names what a source-named entry really is when it is not a regular file. */
  private sourceEntry(full: string, notRegular: string | undefined): void {
    if (notRegular !== undefined) {
      this.skip(full, `${notRegular}, not a regular file`);
      return;
    }
    let real: string;
    try {
      real = fs.realpathSync(full);
    } catch (err) {
      this.skip(full, plainError(err).reason, 'unread');
      return;
    }
    const first = this.state.seenFiles.get(real);
    if (first !== undefined) {
      this.skip(full, `the same file as ${first}`);
      return;
    }
    if (this.options.maxFiles !== undefined && this.result.files.length >= this.options.maxFiles) {
      this.result.truncated = true;
      return;
    }
    this.state.seenFiles.set(real, full);
    this.result.files.push(full);
  }
}

function kindOf(full: string): string {
  try {
    return describeKind(fs.lstatSync(full));
  } catch {
    return 'not a regular file';
  }
}
