/** Finds and reads the C/C++ sources under the paths given on the command line. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeKind, plainError, readSourceFile } from '../util/safeRead';
import { isSourceName, newWalkState, walkSources, type Skipped, type WalkState } from '../util/sourceWalk';

export { SOURCE_EXTENSIONS } from '../util/sourceWalk';
export { looksBinary } from '../util/safeRead';

/** A mistake in the command line: the message is followed by a pointer to --help. */
export class UsageError extends Error {}

/** A file that cannot be read or is not what it must be: plain words, no pointer to --help. */
export class InputError extends UsageError {}

export interface SourceFile {
  path: string;
  text: string;
}

export interface CollectResult {
  files: SourceFile[];
  skipped: Skipped[];
}

/**
 * Expands files and folders. A named path that does not exist, loops, or is not a regular file
 * or folder (a FIFO, a device) is an InputError; what a folder walk passes over is `skipped`.
 */
export function collectSources(inputs: string[]): CollectResult {
  const result: CollectResult = { files: [], skipped: [] };
  const state = newWalkState();
  for (const input of inputs) {
    const stat = statNamed(input);
    if (stat.isDirectory()) {
      const walked = walkSources(input, {}, state);
      result.skipped.push(...walked.skipped);
      for (const file of walked.files) addFile(file, result, false);
    } else if (stat.isFile()) {
      if (!markSeen(input, state)) continue;
      addFile(input, result, true);
    } else {
      throw new InputError(`${input} is ${describeKind(stat)}; ecp-lens reads only regular files and folders`);
    }
  }
  return result;
}

/** The named path's target, or an InputError in plain words. */
function statNamed(input: string): fs.Stats {
  try {
    return fs.statSync(input);
  } catch (err) {
    const plain = plainError(err);
    if (plain.kind === 'missing') throw new InputError(`no such file or folder: ${input}`);
    throw new InputError(`${input}: ${plain.reason}`);
  }
}

/** False when the same real file was already named or walked. */
function markSeen(input: string, state: WalkState): boolean {
  let real: string;
  try {
    real = fs.realpathSync(input);
  } catch {
    real = path.resolve(input);
  }
  if (state.seenFiles.has(real)) return false;
  state.seenFiles.set(real, input);
  return true;
}

function addFile(file: string, result: CollectResult, explicit: boolean): void {
  if (!isSourceName(file)) {
    if (explicit) result.skipped.push({ path: file, reason: 'not a C/C++ source (.c .h .cpp .hpp .cc .cxx .inl)' });
    return;
  }
  const read = readSourceFile(file);
  if (read.ok) result.files.push({ path: file, text: read.text });
  // A source-named file that is not read may hold what the program's other files depend on.
  else if (read.kind === 'binary' || read.kind === 'too-large') result.skipped.push({ path: file, reason: read.reason, kind: 'unread' });
  else if (read.kind === 'not-regular' && !explicit) result.skipped.push({ path: file, reason: read.reason });
  else throw new InputError(`cannot read ${file}: ${read.reason}`);
}
