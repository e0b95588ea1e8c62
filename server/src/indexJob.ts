/** Messages between the workspace index and its worker thread (plain, structured-clonable data). */
import type { FileFacts } from './workspace';

export interface IndexJob {
  files: string[];
  /** Workspace folders: a symlink is followed only to a regular file inside them. */
  roots: string[];
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
