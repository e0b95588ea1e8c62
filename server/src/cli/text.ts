/** Human-readable `check` output: compiler-style lines, then the path steps indented. */
import type { FileFindings } from './sarif';
import { coverageSummary, coverageListing } from './coverage';

export function formatText(results: FileFindings[], verbose = false): string {
  const lines: string[] = [];
  let errors = 0;
  let others = 0;
  for (const file of results) {
    for (const f of file.findings) {
      if (f.severity === 'error') errors++;
      else others++;
      const at = `${file.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      lines.push(`${at}: ${f.severity} ${f.code}: ${f.message}`);
      for (const step of f.related) {
        lines.push(`    ${file.path}:${step.range.start.line + 1}:${step.range.start.character + 1}: ${step.message}`);
      }
    }
  }
  const files = results.length;
  if (verbose) lines.push(...coverageListing(results));
  lines.push(`${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}; ${coverageSummary(results)}.`);
  return `${lines.join('\n')}\n`;
}
