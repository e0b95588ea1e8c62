/**
 * Messages between the extension host and the pool simulator panel, declared once and shared by
 * both sides. Every message is validated on receipt; anything that does not match is ignored.
 * No DOM and no vscode import.
 */
import type { Trace } from '../../server/src/protocol';
import { hasShape, isObj, isStr, isInt, isBool, arrOf, isTrace } from './validate-trace';

export { isTrace } from './validate-trace';

/** Fault plan as the panel's controls express it (Driver Verifier low-resources style). */
export interface FaultSettings {
  /** 1-based ordinals of allocation attempts that fail. */
  failAllocations: number[];
  /** Pool tags (up to 4 characters) whose allocations fail. */
  failTags: string[];
  /** Fail each allocation site once, one path per site; the trace lists them in `explored`. */
  systematic: boolean;
}

/** host → panel */
export type HostToPanel =
  /** Show this trace; `step` (0-based index) selects a step, default the step where the path goes wrong. */
  | { type: 'trace'; trace: Trace; step?: number }
  /** The editor cursor moved to this 1-based line of the traced document. */
  | { type: 'selectStep'; line: number }
  /** A simulate request is running (true) or done (false). */
  | { type: 'busy'; busy: boolean }
  /** The last simulate request failed; shown in the panel, the current trace stays. */
  | { type: 'error'; message: string }
  /** No function to show (the command ran outside one): drop the trace and say why, at the top. */
  | { type: 'clear'; message: string };

/** panel → host */
export type PanelToHost =
  /** The panel script has started and listens for messages. */
  | { type: 'ready' }
  /** Reveal and highlight this 1-based line of `uri` (the traced document). */
  | { type: 'revealLine'; line: number; uri: string }
  /** Re-run `function` of `uri` against the simulated kernel with these faults. */
  | { type: 'simulate'; uri: string; function: string; faults: FaultSettings };

/** Upper bounds that keep a hostile or broken message from tying up the panel. */
export const LIMITS = { maxFaultEntries: 64, maxTagLength: 4, maxLine: 10_000_000, maxMessage: 2_000 };

const isLine = (v: unknown): v is number => isInt(v) && v >= 1 && v <= LIMITS.maxLine;

export function isFaultSettings(v: unknown): v is FaultSettings {
  return (
    hasShape(v, {
      failAllocations: arrOf((n) => isInt(n) && n >= 1),
      failTags: arrOf((t) => isStr(t) && t.length >= 1 && t.length <= LIMITS.maxTagLength),
      systematic: isBool,
    }) &&
    (v.failAllocations as number[]).length <= LIMITS.maxFaultEntries &&
    (v.failTags as string[]).length <= LIMITS.maxFaultEntries
  );
}

export function isHostToPanel(v: unknown): v is HostToPanel {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'trace':
      return isTrace(v.trace) && (v.step === undefined || (isInt(v.step) && v.step >= 0));
    case 'selectStep':
      return isLine(v.line);
    case 'busy':
      return isBool(v.busy);
    case 'error':
    case 'clear':
      return isStr(v.message);
    default:
      return false;
  }
}

export function isPanelToHost(v: unknown): v is PanelToHost {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'revealLine':
      return isLine(v.line) && isStr(v.uri);
    case 'simulate':
      return isStr(v.uri) && isStr(v.function) && isFaultSettings(v.faults);
    default:
      return false;
  }
}

/** The state the panel persists through `setState`, restored by the webview serializer. */
export interface PanelState {
  trace: Trace;
  step: number;
  faults?: FaultSettings;
}

export function isPanelState(v: unknown): v is PanelState {
  return (
    hasShape(v, { trace: isTrace, step: (s) => isInt(s) && s >= 0 }) &&
    (v.faults === undefined || isFaultSettings(v.faults))
  );
}

/**
 * Parse the fault controls' text: "3, 5" → [3, 5]; "Tst1 FSel" → ['Tst1', 'FSel'].
 * Returns an error message instead when the text is not acceptable.
 */
export function parseFaultInput(allocText: string, tagText: string): { faults: Omit<FaultSettings, 'systematic'> } | { error: string } {
  const allocParts = allocText.split(/[\s,]+/).filter((s) => s !== '');
  const failAllocations: number[] = [];
  for (const part of allocParts) {
    if (!/^\d{1,6}$/.test(part) || Number(part) < 1) return { error: `"${part}" is not an allocation number (1, 2, 3 ...)` };
    if (failAllocations.includes(Number(part))) return { error: `allocation #${part} is listed more than once; each number fails one allocation attempt` };
    failAllocations.push(Number(part));
  }
  const failTags: string[] = [];
  for (const part of tagText.split(/[\s,]+/).filter((s) => s !== '')) {
    if (part.length > LIMITS.maxTagLength) return { error: `pool tag "${part}" is longer than 4 characters` };
    if (!failTags.includes(part)) failTags.push(part);
  }
  if (failAllocations.length > LIMITS.maxFaultEntries || failTags.length > LIMITS.maxFaultEntries) {
    return { error: 'too many entries' };
  }
  return { faults: { failAllocations, failTags } };
}
