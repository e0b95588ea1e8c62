/** SARIF 2.1.0 output for code scanning. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import type { Finding } from '../analysis';
import { RULES, type Severity } from '../rules/registry';
import { ruleSections } from '../rules/ruleDocs';
import { SERVER_VERSION } from '../version';
import type { FileCoverage } from '../engine/coverage';
import { coverageNotifications } from './coverage';
import { splitLines } from '../util/lines';

export interface FileFindings {
  path: string;
  text: string;
  findings: Finding[];
  /** What of the file's ECP-using functions was not fully analysed. */
  coverage?: FileCoverage;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function toSarif(files: FileFindings[], baseDir: string, incomplete?: string): object {
  // The rule's documentation travels inside the log (no link to follow from code scanning).
  const docs = ruleSections();
  const rules = RULES.map((r) => ({
    id: r.code,
    name: r.code,
    shortDescription: { text: r.summary },
    help: { text: docs.get(r.code)?.text ?? r.summary, markdown: docs.get(r.code)?.markdown ?? r.summary },
    defaultConfiguration: { level: LEVEL[r.severity] },
  }));
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const results = files.flatMap((file) => {
    const uri = relativeUri(file.path, baseDir);
    const lines = splitLines(file.text);
    return file.findings.map((f) => ({
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(uri, f.range)],
      relatedLocations: f.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, ...location(stepArtifact(r, uri, baseDir), r.range) })),
      ...(f.related.length > 0 ? { codeFlows: [codeFlow(uri, f, baseDir)] } : {}),
      partialFingerprints: { 'ecpLens/v1': fingerprint(f, lines) },
    }));
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ECP Lens',
            semanticVersion: SERVER_VERSION,
            version: SERVER_VERSION,
            informationUri: 'https://github.com/ecp-lens/ecp-lens',
            rules,
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: toFileUri(baseDir) } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: [...programNotification(incomplete), ...coverageNotifications(files, (p) => relativeUri(p, baseDir))] }],
        results,
      },
    ],
  };
}

function location(artifact: { uri: string; uriBaseId?: string }, range: Finding['range']) {
  return {
    physicalLocation: {
      artifactLocation: artifact,
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  };
}

function codeFlow(uri: { uri: string; uriBaseId?: string }, f: Finding, baseDir: string) {
  const steps = [...f.related, { range: f.range, message: f.message }];
  return {
    threadFlows: [{ locations: steps.map((s) => ({ location: { message: { text: s.message }, ...location(stepArtifact(s, uri, baseDir), s.range) } })) }],
  };
}

/** A step inside a function of another program file is located in that file's artifact. */
function stepArtifact(step: { uri?: string }, own: { uri: string; uriBaseId?: string }, baseDir: string): { uri: string; uriBaseId?: string } {
  if (!step.uri) return own;
  return step.uri.startsWith('file:') ? relativeUri(fileURLToPath(step.uri), baseDir) : { uri: step.uri };
}

/** Stable across unrelated edits: rule, function, and the text of the flagged line. */
function fingerprint(f: Finding, lines: string[]): string {
  const lineText = (lines[f.range.start.line] ?? '').trim();
  return createHash('sha256').update(`${f.code}\u0000${f.functionName ?? ''}\u0000${lineText}`).digest('hex').slice(0, 32);
}

/** Relative to the base when the file lies under it; otherwise an absolute file URI. */
function relativeUri(file: string, baseDir: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(baseDir, path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: toFileUri(path.resolve(file)).replace(/\/$/, '') };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function toFileUri(dir: string): string {
  const abs = path.resolve(dir).split(path.sep).map(encodeURIComponent).join('/');
  return `file://${abs.startsWith('/') ? '' : '/'}${abs}/`;
}

/** The program was not read whole: the findings that rest on all of it were withheld. */
function programNotification(incomplete: string | undefined): object[] {
  if (!incomplete) return [];
  return [{ level: 'warning', message: { text: `The program was not read whole, so findings that rest on every file (ecp-lookaside-not-deleted, lifecycle findings through other files) are not reported: ${incomplete}.` }, descriptor: { id: 'ecp-lens/program-incomplete' } }];
}
