/** Messages between the workspace index and its worker thread (plain, structured-clonable data). */
import type { FileFacts, IndexView } from './workspace';

export interface IndexJob {
  files: string[];
  /** Workspace folders: a symlink is followed only to a regular file inside them. */
  roots: string[];
  /** Each file's build configuration and include folders (same order as `files`). */
  views?: (IndexView | undefined)[];
}

/** One file's outcome: its facts, or why it was not read (`unread` only for what must be reported). */
export interface IndexedFile {
  file: string;
  facts?: FileFacts;
  unread?: string;
}

export type IndexReply =
  | { type: 'batch'; files: IndexedFile[] }
  | { type: 'done' }
  | { type: 'failed'; reason: string };
