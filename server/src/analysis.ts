/**
 * The analysis facade: one entry used by the server, the CLI and the simulator. It finds the
 * functions of a parsed file and runs the engine and the rules over them.
 */
import type { ParsedText } from './parsing/parser';
import type { Settings } from './config';
import { DEFAULT_SETTINGS } from './config';
import type { Severity } from './rules/registry';

export interface Range0 {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface RelatedStep {
  range: Range0;
  message: string;
}

export interface TextFix {
  title: string;
  edits: { range: Range0; newText: string }[];
  preferred?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range0;
  /** The path that leads to the problem, in order. */
  related: RelatedStep[];
  fixes: TextFix[];
  functionName: string | null;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Notes for the output log: bounds hit, functions skipped. */
  log: string[];
}

export interface AnalysisOptions {
  settings?: Settings;
}

export function analyzeParsed(parsed: ParsedText, source: string, options: AnalysisOptions = {}): AnalysisResult {
  void parsed;
  void source;
  void (options.settings ?? DEFAULT_SETTINGS);
  return { findings: [], log: [] };
}
