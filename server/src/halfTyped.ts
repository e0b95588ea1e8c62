/**
 * Half-typed code in the editor: while a function's parse holds ERROR or MISSING nodes (the user
 * is typing `if (x {`), its findings are not the analysis of broken code but the ones it had the
 * last time it parsed cleanly, moved with the function; a function never seen intact keeps what
 * the analysis says (code the grammar never reads is not hidden). Per document, editor only.
 */
import type { Finding } from './analysis';
import type { FileModel } from './engine/fileModel';
import type { Range0 } from './protocol';

interface Good {
  startLine: number;
  findings: Finding[];
}

export class HalfTypedFilter {
  private readonly good = new Map<string, Map<string, Good>>();

  /** The findings to publish for this version of `uri`. */
  filter(uri: string, model: FileModel, findings: Finding[]): Finding[] {
    const known = this.good.get(uri) ?? new Map<string, Good>();
    this.good.set(uri, known);
    const broken = new Map<string, number>();
    const intact = new Map<string, number>();
    // A tree without an error has no broken function: one wasm call instead of one per function.
    const treeHasError = new Map<object, boolean>();
    for (const fn of model.functions.values()) {
      if (fn.fromHeader) continue;
      const tree = fn.node.tree;
      let anyError = treeHasError.get(tree);
      if (anyError === undefined) treeHasError.set(tree, (anyError = tree.rootNode.hasError));
      (anyError && fn.node.hasError ? broken : intact).set(fn.name, fn.node.startPosition.row);
    }
    const byFunction = new Map<string, Finding[]>();
    for (const f of findings) {
      if (f.functionName === null || !intact.has(f.functionName)) continue;
      const list = byFunction.get(f.functionName);
      if (list) list.push(f);
      else byFunction.set(f.functionName, [f]);
    }
    // Kept as plain data: a finding's lazy quick fixes hold the whole parse of its version.
    for (const [name, startLine] of intact) known.set(name, { startLine, findings: (byFunction.get(name) ?? []).map(withoutFixes) });
    const out = findings.filter((f) => f.functionName === null || !broken.has(f.functionName) || !known.has(f.functionName));
    for (const [name, startLine] of broken) {
      const last = known.get(name);
      if (last) out.push(...last.findings.map((f) => moved(f, startLine - last.startLine)));
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  forget(uri: string): void {
    this.good.delete(uri);
  }
}

/** What is published of a finding (its fixes are looked up in the current analysis, never here). */
function withoutFixes(f: Finding): Finding {
  return { code: f.code, severity: f.severity, message: f.message, range: f.range, related: f.related, functionName: f.functionName, fixes: [] };
}

function moved(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  const shift = (r: Range0): Range0 => ({ start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } });
  return { ...f, fixes: [], range: shift(f.range), related: f.related.map((r) => (r.uri ? r : { ...r, range: shift(r.range) })) };
}
