/**
 * The import graph of the server's sources, read with the TypeScript scanner (static imports and
 * re-exports, `import type`, `import('…')` types and calls, `require`), and the layering rule:
 * the lower layers import only from the layers below them, never from the rules, the lifecycle
 * pass, the features, the simulator, the CLI or the server modules that sit above them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** What each lower layer (a folder of server/src) may import from, itself included. */
export const MAY_IMPORT: Record<string, readonly string[]> = {
  util: ['util'],
  catalog: ['catalog', 'util'],
  parsing: ['parsing', 'util'],
  kernel: ['kernel', 'catalog', 'util'],
  engine: ['engine', 'kernel', 'parsing', 'catalog', 'util'],
};

/** Packages no lower layer may use: the editor and the protocol connection live above. */
const EDITOR_PACKAGES = /^vscode(-|$)/;

export interface Violation {
  file: string;
  imports: string;
  /** The layer the import lands in (`<top>` for a module directly in server/src). */
  target: string;
}

/** Every `.ts` file under `root`, by its path relative to `root` (with `/`). */
export function sourcesUnder(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.ts')) out.set(path.relative(root, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return out;
}

export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The layer a file (relative to server/src) belongs to: its first folder, or `<top>`. */
export function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0] : '<top>';
}

/** The layer an import resolved to `target` lands in (`../catalog` is the folder's index). */
function targetLayer(target: string, files: Map<string, string>): string {
  if (target.startsWith('../')) return '<outside>';
  return files.has(`${target}/index.ts`) ? layerOf(`${target}/index.ts`) : layerOf(target);
}

export function violations(files: Map<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [file, text] of files) {
    const allowed = MAY_IMPORT[layerOf(file)];
    if (!allowed) continue;
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) {
        if (EDITOR_PACKAGES.test(spec)) out.push({ file, imports: spec, target: spec });
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const layer = targetLayer(target, files);
      if (!allowed.includes(layer)) out.push({ file, imports: spec, target: layer });
    }
  }
  return out;
}
