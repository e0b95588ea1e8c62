/** How a file's headers are found on disk (the analysis, the index and the CLI share it). */
import * as path from 'node:path';
import type { IncludeReader } from '../engine/includes';
import { isSystemHeader } from '../engine/preprocessor';
import { readSourceFile, type ReadOutcome } from '../util/safeRead';

/**
 * An include reader for a file on disk. `#include "x"` is looked up next to the file, then in the
 * include folders; `#include <x>` in the include folders only; a forced include is an absolute
 * path from the build. Relative names next to the file must stay inside `root` (the workspace
 * folder, else the file's own folder), and a name found in an include folder must stay inside that
 * folder: a name in an untrusted file must not make the server open a path elsewhere. Network
 * folders (`\\server\share`, `//server/share`) are never searched. WDK, SDK and C runtime headers
 * are not read: the catalog stands in for them.
 */
export function includeReaderFor(filePath: string, root: string = path.dirname(filePath), includePaths: string[] = [], hooks: IncludeHooks = {}): IncludeReader {
  const dir = path.dirname(filePath);
  const top = path.resolve(root);
  const folders = includePaths.filter((d) => path.isAbsolute(d) && !isNetworkPath(d) && !SYSTEM_FOLDER.test(d));
  /** Where each header was found, by the name it was asked for: a header's own quoted includes start there. */
  const found = new Map<string, string>();
  /** Reads `name` under `base`, only if it stays inside `within` (the workspace folder or an include folder). */
  const readIn = (base: string, name: string, within: string, asked = name): string | undefined => {
    const full = path.resolve(base, name);
    const rel = path.relative(within, full);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    // A header open in the editor is read from its buffer (unsaved edits included).
    const open = hooks.readOpen?.(full);
    const read = open === undefined ? (hooks.readDisk ?? readHeaderFile)(full, within) : undefined;
    if (read && !read.ok) {
      // Absent is the usual case (the next folder may hold it); a header that is there but is
      // not read (a FIFO, a device, too large, a link outside) is told, so it is not silent.
      if (read.kind !== 'missing') hooks.onUnread?.(full, read.reason);
      return undefined;
    }
    found.set(asked, full);
    hooks.onRead?.(full);
    return open ?? (read as { text: string }).text;
  };
  const inside = (dirPath: string) => [top, ...folders].find((f) => { const rel = path.relative(f, dirPath); return !rel.startsWith('..') && !path.isAbsolute(rel); });
  return (asked, kind = 'quote', from) => {
    if (kind === 'forced') return path.isAbsolute(asked) && !isNetworkPath(asked) ? readIn(path.dirname(asked), path.basename(asked), path.dirname(asked), asked) : undefined;
    if (path.isAbsolute(asked) || isNetworkPath(asked) || /^[A-Za-z]:/.test(asked)) return undefined;
    // MSVC reads `\` in an include name as a folder separator (`#include "..\inc\notes.h"`).
    const name = separatorsOf(asked);
    if (path.isAbsolute(name) || isNetworkPath(name)) return undefined;
    if (kind === 'quote') {
      // As compilers do: the including header's folder, then the file's, then the include folders.
      const fromPath = from === undefined ? undefined : found.get(from);
      const fromDir = fromPath && path.dirname(fromPath);
      const fromRoot = fromDir && inside(fromDir);
      const text = (fromDir && fromRoot ? readIn(fromDir, name, fromRoot, asked) : undefined) ?? readIn(dir, name, top, asked);
      if (text !== undefined) return text;
    }
    if (isSystemHeader(name)) return undefined;
    for (const folder of folders) {
      const text = readIn(folder, name, folder, asked);
      if (text !== undefined) return text;
    }
    return undefined;
  };
}

/** A header as the reader takes it from disk: inside `within` (by real path), at most 4 MiB. */
export function readHeaderFile(fullPath: string, within: string): ReadOutcome {
  return readSourceFile(fullPath, { roots: [within], maxBytes: 4 * 1024 * 1024 });
}

/** How the editor (or a CLI run) takes part in reading headers. */
export interface IncludeHooks {
  /**
   * Reads a header from disk (default `readHeaderFile`). A CLI run, whose files do not change
   * while it runs, reads each header once for every file and every program model that includes it.
   */
  readDisk?(fullPath: string, within: string): ReadOutcome;
  /** The text of the file at this path when it is open in the editor (its buffer), else undefined. */
  readOpen?(fullPath: string): string | undefined;
  /** Hears of every header read (its path), so the includer can be re-analysed when it changes. */
  onRead?(fullPath: string): void;
  /** Hears of a header that exists but was passed over unread, with the reason in words. */
  onUnread?(fullPath: string, reason: string): void;
}

/** Include folders of the WDK, the SDK, Visual C++ and the host's own C library. */
const SYSTEM_FOLDER = /Windows Kits|Microsoft Visual Studio|[\\/]VC[\\/]Tools[\\/]|^\/usr\/(local\/)?include\b|^\/usr\/lib\/gcc\b/i;

/** An include name with the host's folder separator: a backslash is one on Windows, and in MSVC's include names everywhere. */
function separatorsOf(name: string): string {
  return path.sep === '/' ? name.replace(/\\/g, '/') : name;
}

function isNetworkPath(p: string): boolean {
  return /^[\\/]{2}/.test(p);
}
