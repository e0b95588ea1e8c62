/**
 * What the pool panel host asks the server for: the simulate parameters for a target (a function
 * of a document, with the fault plan the panel chose). No vscode import, so tests can use it.
 */
import { isFunctionName, type SimulateParams } from '../../server/src/protocol';
import type { FaultSettings } from '../webview/messages';

export interface PanelTarget {
  uri: string;
  /** Function name; undefined until the server picked one from the cursor position. */
  function?: string;
  /** 0-based cursor position used when no function name is known. */
  position?: { line: number; character: number };
  faults?: FaultSettings;
}

export const NO_FAULTS: FaultSettings = { failAllocations: [], failTags: [], systematic: false };

export function hasFaultPlan(faults: FaultSettings | undefined): boolean {
  return Boolean(faults && (faults.failAllocations.length > 0 || faults.failTags.length > 0));
}

/** A fault plan → path {kind:'faults'}; systematic alone → the success path with `explored`. */
export function simulateParams(target: PanelTarget): SimulateParams {
  const params: SimulateParams = { textDocument: { uri: target.uri } };
  if (target.function) params.function = target.function;
  else if (target.position) params.position = target.position;
  const faults = target.faults ?? NO_FAULTS;
  params.path = hasFaultPlan(faults) ? { kind: 'faults' } : { kind: 'success' };
  if (hasFaultPlan(faults) || faults.systematic) {
    params.faults = { failAllocations: faults.failAllocations, failTags: faults.failTags, systematic: faults.systematic };
  }
  return params;
}

/** Latest-wins request numbering: a reply for an older request is dropped. */
export class RequestSequence {
  private current = 0;
  next(): number {
    return ++this.current;
  }
  isLatest(id: number): boolean {
    return id === this.current;
  }
}

/** The first argument of the command: a URI string, or an object with toString() (vscode.Uri). */
export function commandUri(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.length > 0) return arg;
  if (arg && typeof arg === 'object' && 'scheme' in arg && typeof (arg as { toString: unknown }).toString === 'function') return String(arg);
  return undefined;
}

export function commandFunction(arg: unknown): string | undefined {
  return isFunctionName(arg) ? arg : undefined;
}

/** A code lens's third argument: the 0-based position of the function's name. */
export function commandPosition(arg: unknown): { line: number; character: number } | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const { line, character } = arg as Record<string, unknown>;
  return Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0 ? { line: line as number, character: character as number } : undefined;
}

/** The server's answer when the position is inside no function (select.ts `pickFunction`). */
export function isOutsideFunction(message: string): boolean {
  return /no function contains line \d+/.test(message);
}

/** The functions a document's "Simulate pool" lenses name: [uri, name, position] arguments. */
export function lensChoices(commands: ({ command: string; arguments?: unknown[] } | undefined)[]): { name: string; position: { line: number; character: number } }[] {
  const out: { name: string; position: { line: number; character: number } }[] = [];
  for (const c of commands) {
    if (c?.command !== 'ecpLens.openPoolSimulator') continue;
    const name = commandFunction(c.arguments?.[1]);
    const position = commandPosition(c.arguments?.[2]);
    if (name && position) out.push({ name, position });
  }
  return out;
}
