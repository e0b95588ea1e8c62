/**
 * The program as the workspace index sees it: which file defines which function, and the current
 * text of each file (an open buffer over the disk). Keys are the index's file keys.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { ProgramFacts, ProgramSource } from './engine/program';
import { indexKey } from './workspace';
import type { BuildFacts } from './engine/preprocessor';
import type { ParsedText } from './parsing/parser';
import type { IncludeReader } from './engine/includes';

const MAX_CACHED_TEXTS = 256;

export class ProgramIndex {
  /** Text of an open document by index key (set by the server). */
  readOpen: (key: string) => string | undefined = () => undefined;
  /** The build configuration of a program file by URI (set by the server and the CLI). */
  buildFor: (uri: string) => BuildFacts | undefined = () => undefined;
  /** A parse of a program file its owner keeps alive (set by the CLI): see `ProgramSource.parsed`. */
  parsedFor: (uri: string) => ParsedText | undefined = () => undefined;
  /** How a program file's headers are read (set by the server and the CLI; none: not read). */
  includeReaderFor: (uri: string) => IncludeReader | undefined = () => undefined;
  private readonly texts = new Map<string, string>();
  private definers = new Map<string, string[]>();
  /** Files defining a qualified function (`ns::Class::Member`), by each shorter tail of its name (`Class::Member`, `Member`). */
  private memberDefiners = new Map<string, string[]>();
  private builtAt = -1;

  constructor(
    private readonly files: Map<string, ProgramFacts>,
    private readonly generation: () => number,
    private readonly readDisk: (file: string) => string | undefined,
  ) {}

  /** The program seen from one file (its own functions excluded), and a key of its state. */
  sourceFor(self: string): { program: ProgramSource; programKey: string } {
    const definers = this.definerMap();
    const h = createHash('sha1');
    for (const [key, facts] of this.files) if (key !== self && facts.functions.length > 0) h.update(`${key}\u0000${facts.functionsHash}\u0000`);
    const program: ProgramSource = {
      definer: (name) => {
        const where = (definers.get(name) ?? []).filter((k) => k !== self);
        return where.length === 1 ? uriOf(where[0]) : undefined;
      },
      memberDefiner: (name) => {
        const where = [...new Set((this.memberDefiners.get(name) ?? []).filter((k) => k !== self))];
        return where.length === 1 ? uriOf(where[0]) : undefined;
      },
      text: (uri) => this.text(indexKey(uri)),
      routinePointers: this.routinePointers(self),
      build: (uri) => this.buildFor(uri),
      parsed: (uri) => this.parsedFor(uri),
      includeReader: (uri) => this.includeReaderFor(uri),
    };
    return { program, programKey: h.digest('hex') };
  }

  /** A file changed (or was re-read): its cached text is stale. */
  changed(key: string): void {
    this.texts.delete(key);
  }

  private routinePointers(self: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, facts] of this.files) if (key !== self) for (const [p, r] of facts.routinePointers ?? []) out.set(p, r);
    return out;
  }

  private definerMap(): Map<string, string[]> {
    if (this.builtAt === this.generation()) return this.definers;
    const map = new Map<string, string[]>();
    const members = new Map<string, string[]>();
    const add = (table: Map<string, string[]>, name: string, key: string) => {
      const list = table.get(name);
      if (list) list.push(key);
      else table.set(name, [key]);
    };
    for (const [key, facts] of this.files) {
      for (const name of facts.functions) {
        add(map, name, key);
        for (let at = name.indexOf('::'); at >= 0; at = name.indexOf('::', at + 2)) add(members, name.slice(at + 2), key);
      }
    }
    this.definers = map;
    this.memberDefiners = members;
    this.builtAt = this.generation();
    return map;
  }

  private text(key: string): string | undefined {
    const open = this.readOpen(key);
    if (open !== undefined) return open;
    let text = this.texts.get(key);
    if (text === undefined && path.isAbsolute(key)) {
      text = this.readDisk(key);
      if (text === undefined) return undefined;
      if (this.texts.size >= MAX_CACHED_TEXTS) this.texts.delete(this.texts.keys().next().value!);
      this.texts.set(key, text);
    }
    return text;
  }
}

/** Index keys are file paths for `file:` URIs and the URI itself otherwise. */
export function uriOf(key: string): string {
  return path.isAbsolute(key) ? pathToFileURL(key).toString() : key;
}
