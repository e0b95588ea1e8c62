/**
 * Validation of `ecpLens/simulate` parameters as they arrive over JSON-RPC: anything malformed is
 * rejected with a message that says what is wrong, before the engine sees it.
 */
import { isFunctionName, MAX_FUNCTION_NAME, type PathChoice, type SimulateParams } from '../protocol';

export const PARAM_LIMITS = { maxFaultEntries: 64, maxOrdinal: 1_000_000, maxName: MAX_FUNCTION_NAME, maxLine: 10_000_000 };

type Rec = Record<string, unknown>;
const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** The params, checked and copied; or a message naming the first problem. */
export function validateSimulateParams(raw: unknown): { params: SimulateParams } | { error: string } {
  if (!isObj(raw)) return { error: 'ecpLens/simulate expects an object parameter' };
  const doc = raw.textDocument;
  if (!isObj(doc) || typeof doc.uri !== 'string' || doc.uri === '') return { error: 'textDocument.uri must be a non-empty string' };
  const params: SimulateParams = { textDocument: { uri: doc.uri } };
  if (raw.function !== undefined) {
    if (!isFunctionName(raw.function)) {
      return { error: 'function must be a C identifier or a C++ qualified name' };
    }
    params.function = raw.function;
  }
  if (raw.position !== undefined) {
    const p = raw.position;
    if (!isObj(p) || !isCount(p.line, PARAM_LIMITS.maxLine) || !isCount(p.character, PARAM_LIMITS.maxLine)) {
      return { error: 'position must be { line, character } with non-negative integers' };
    }
    params.position = { line: p.line, character: p.character };
  }
  if (raw.path !== undefined) {
    const path = validatePath(raw.path);
    if (typeof path === 'string') return { error: path };
    params.path = path;
  }
  if (raw.faults !== undefined) {
    const faults = validateFaults(raw.faults);
    if (typeof faults === 'string') return { error: faults };
    params.faults = faults;
  }
  return { params };
}

function validatePath(v: unknown): PathChoice | string {
  if (!isObj(v)) return "path must be { kind: 'success' | 'faults' | 'diagnostic' }";
  if (v.kind === 'success' || v.kind === 'faults') return { kind: v.kind };
  if (v.kind === 'diagnostic') {
    if (typeof v.code !== 'string' || !/^ecp-[a-z-]+$/.test(v.code)) return 'path.code must be a rule code such as ecp-list-leak';
    if (!isCount(v.line, PARAM_LIMITS.maxLine)) return 'path.line must be a non-negative integer (0-based)';
    return { kind: 'diagnostic', code: v.code, line: v.line };
  }
  return "path.kind must be 'success', 'faults' or 'diagnostic'";
}

function validateFaults(v: unknown): NonNullable<SimulateParams['faults']> | string {
  if (!isObj(v)) return 'faults must be an object';
  const out: NonNullable<SimulateParams['faults']> = {};
  if (v.failAllocations !== undefined) {
    const list = v.failAllocations;
    if (!Array.isArray(list) || list.length > PARAM_LIMITS.maxFaultEntries || !list.every((n) => isCount(n, PARAM_LIMITS.maxOrdinal) && n >= 1)) {
      return `faults.failAllocations must be a list of at most ${PARAM_LIMITS.maxFaultEntries} allocation numbers (1, 2, 3 ...)`;
    }
    const repeated = (list as number[]).find((n, i) => list.indexOf(n) !== i);
    if (repeated !== undefined) return `faults.failAllocations lists allocation #${repeated} more than once; each number fails one allocation attempt`;
    out.failAllocations = list as number[];
  }
  if (v.failTags !== undefined) {
    const list = v.failTags;
    if (!Array.isArray(list) || list.length > PARAM_LIMITS.maxFaultEntries || !list.every((t) => typeof t === 'string' && t.length >= 1 && t.length <= 4)) {
      return `faults.failTags must be a list of at most ${PARAM_LIMITS.maxFaultEntries} pool tags of 1 to 4 characters`;
    }
    out.failTags = [...new Set(list as string[])];
  }
  if (v.systematic !== undefined) {
    if (typeof v.systematic !== 'boolean') return 'faults.systematic must be true or false';
    out.systematic = v.systematic;
  }
  return out;
}
