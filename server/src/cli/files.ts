/** Finds the C/C++ sources under the paths given on the command line. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SOURCE_EXTENSIONS = new Set(['.c', '.h', '.cpp', '.hpp', '.cc', '.cxx', '.inl']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', 'x64', 'out', '.vs']);

export class UsageError extends Error {}

export interface SourceFile {
  path: string;
  text: string;
}

export interface CollectResult {
  files: SourceFile[];
  skipped: { path: string; reason: string }[];
}

/** Expands files and folders; a path that does not exist or cannot be read is a UsageError. */
export function collectSources(inputs: string[]): CollectResult {
  const result: CollectResult = { files: [], skipped: [] };
  const seen = new Set<string>();
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new UsageError(`no such file or folder: ${input}`);
    }
    if (stat.isDirectory()) walk(input, result, seen);
    else addFile(input, result, seen, true);
  }
  return result;
}

function walk(dir: string, result: CollectResult, seen: Set<string>): void {
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (err) {
      throw new UsageError(`cannot read folder ${current}: ${(err as Error).message}`);
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(full);
      } else if (entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        addFile(full, result, seen, false);
      }
    }
    pending.sort((a, b) => b.localeCompare(a));
  }
}

function addFile(file: string, result: CollectResult, seen: Set<string>, explicit: boolean): void {
  const key = path.resolve(file);
  if (seen.has(key)) return;
  seen.add(key);
  if (!SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase())) {
    if (explicit) result.skipped.push({ path: file, reason: 'not a C/C++ source (.c .h .cpp .hpp .cc .cxx .inl)' });
    return;
  }
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (looksBinary(buffer)) {
    result.skipped.push({ path: file, reason: 'binary file' });
    return;
  }
  result.files.push({ path: file, text: buffer.toString('utf8') });
}

/** A NUL byte in the first 8 KiB marks a binary file, as git and grep decide. */
export function looksBinary(buffer: Buffer): boolean {
  const end = Math.min(buffer.length, 8192);
  for (let i = 0; i < end; i++) if (buffer[i] === 0) return true;
  return false;
}
