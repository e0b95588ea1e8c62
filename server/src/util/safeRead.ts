/**
 * The one way the server and the CLI read a source file from disk. Only regular files are read:
 * a FIFO would block the reader for ever and a device such as /dev/zero never ends. Symbolic
 * links are followed only to regular files (and, when `roots` are given, only to files inside
 * them); the read stops at `maxBytes`. Nothing here throws: the caller gets a reason in words.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export type UnreadKind = 'missing' | 'loop' | 'not-regular' | 'outside' | 'too-large' | 'binary' | 'error';

export type ReadOutcome =
  | { ok: true; text: string; realPath: string }
  | { ok: false; kind: UnreadKind; reason: string };

export interface ReadOptions {
  /** Folders a symlink's target must lie inside (compared by real path); none means anywhere. */
  roots?: string[];
  maxBytes?: number;
  /** Refuse files with a NUL byte in their first 8 KiB (default true). */
  rejectBinary?: boolean;
}

/** What a non-regular file is, in words: "a FIFO", "a device", "a socket", "a folder". */
export function describeKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** An errno failure in plain words ("no such file", "permission denied", "a symlink loop"). */
export function plainError(err: unknown): { kind: UnreadKind; reason: string } {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', reason: 'no such file' };
  if (code === 'ELOOP') return { kind: 'loop', reason: 'a symlink loop (the link resolves to itself)' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'error', reason: 'permission denied' };
  if (code === 'EISDIR') return { kind: 'not-regular', reason: 'a folder' };
  if (code === 'EMFILE' || code === 'ENFILE') return { kind: 'error', reason: 'too many open files' };
  if (code === 'ENOSPC') return { kind: 'error', reason: 'no space left on the device' };
  if (code === 'EROFS') return { kind: 'error', reason: 'a read-only file system' };
  return { kind: 'error', reason: code ? `an input/output error (${code})` : 'an input/output error' };
}

/** Whether `file` (a real path) lies inside one of the real `roots`. */
export function isInside(file: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = path.relative(root, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/** Real paths of folders; a folder that cannot be resolved keeps its spelled path. */
export function realRoots(roots: string[]): string[] {
  return roots.map((r) => {
    try {
      return fs.realpathSync(r);
    } catch {
      return path.resolve(r);
    }
  });
}

export function readSourceFile(file: string, options: ReadOptions = {}): ReadOutcome {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let realPath: string;
  try {
    // lstat first: a dangling or looping link fails here in words, before anything is opened.
    fs.lstatSync(file);
    realPath = fs.realpathSync(file);
    const stat = fs.statSync(realPath);
    if (!stat.isFile()) return { ok: false, kind: 'not-regular', reason: `${describeKind(stat)}, not a regular file` };
    // Checked on the real path, so a linked folder on the way cannot lead outside either.
    if (options.roots && !isInside(realPath, realRoots(options.roots))) {
      return { ok: false, kind: 'outside', reason: `a symlink to ${realPath}, outside the workspace` };
    }
  } catch (err) {
    return { ok: false, ...plainError(err) };
  }
  const read = readBounded(realPath, maxBytes);
  if (!read.ok) return read;
  if (options.rejectBinary !== false && looksBinary(read.buffer)) return { ok: false, kind: 'binary', reason: 'binary file' };
  return { ok: true, text: read.buffer.toString('utf8'), realPath };
}

/**
 * Opens without blocking and without following a link (the path was resolved above), then checks
 * the open file itself, so a file swapped for a FIFO or a link after the check is still refused.
 */
function readBounded(file: string, maxBytes: number): { ok: true; buffer: Buffer } | { ok: false; kind: UnreadKind; reason: string } {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, kind: 'not-regular', reason: `${describeKind(stat)}, not a regular file` };
    if (stat.size > maxBytes) return tooLarge(maxBytes);
    // The size can change under the reader: read until end of file, never past the cap.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - length));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) return tooLarge(maxBytes);
    }
    return { ok: true, buffer: Buffer.concat(chunks, length) };
  } catch (err) {
    return { ok: false, ...plainError(err) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tooLarge(maxBytes: number): { ok: false; kind: UnreadKind; reason: string } {
  return { ok: false, kind: 'too-large', reason: `larger than ${formatBytes(maxBytes)} (the most that is read of one file)` };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** A NUL byte in the first 8 KiB marks a binary file, as git and grep decide. */
export function looksBinary(buffer: Buffer): boolean {
  const end = Math.min(buffer.length, 8192);
  for (let i = 0; i < end; i++) if (buffer[i] === 0) return true;
  return false;
}
