/**
 * What the pool panel host asks the server for: the simulate parameters for a target (a function
 * of a document, with the fault plan the panel chose). No vscode import, so tests can use it.
 */
import { isFunctionName, type SimulateParams, type Trace } from '../../server/src/protocol';
import type { FaultSettings } from '../webview/messages';

export interface PanelTarget {
  uri: string;
  /** Function name; undefined until the server picked one from the cursor position. */
  function?: string;
  /**
   * 0-based position inside the function: the cursor or lens position until the server picked the
   * function, and afterwards kept (moved along with edits) for a name the server does not take
   * back by name (longer than MAX_FUNCTION_NAME).
   */
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
  if (target.function && (isFunctionName(target.function) || !target.position)) params.function = target.function;
  else if (target.position) params.position = target.position;
  const faults = target.faults ?? NO_FAULTS;
  params.path = hasFaultPlan(faults) ? { kind: 'faults' } : { kind: 'success' };
  if (hasFaultPlan(faults) || faults.systematic) {
    params.faults = { failAllocations: faults.failAllocations, failTags: faults.failTags, systematic: faults.systematic };
  }
  return params;
}

/**
 * The target once the server answered with `trace`: the function it ran, by name, and by the
 * position of its start when the name is too long to be sent back (a re-simulation by name would
 * be refused, and the fault plan or edit that asked for it would change nothing).
 */
export function targetOfTrace(target: PanelTarget, trace: Pick<Trace, 'function' | 'range'>): PanelTarget {
  const start = trace.range.start;
  return { ...target, function: trace.function, position: isFunctionName(trace.function) ? undefined : { line: start.line, character: start.character } };
}

/** A text change as VS Code reports it: the replaced range and the new text. */
export interface TextChange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/**
 * `position` after `changes` (applied in order, as `onDidChangeTextDocument` lists them): lines
 * inserted or removed above it move it; a change on its own line before it moves its column.
 */
export function shiftPosition(position: { line: number; character: number }, changes: readonly TextChange[]): { line: number; character: number } {
  let { line, character } = position;
  for (const c of changes) {
    const { start, end } = c.range;
    if (start.line > line || (start.line === line && start.character > character)) continue;
    const lines = c.text.split(/\r\n|\r|\n/);
    const added = lines.length - 1;
    if (end.line < line || (end.line === line && end.character <= character)) {
      // Wholly before the position.
      const col = end.line === line ? (added === 0 ? start.character + lines[0].length : lines[added].length) + (character - end.character) : character;
      line += added - (end.line - start.line);
      character = col;
    } else {
      // The position was inside the replaced text: it goes to the change's start.
      line = start.line;
      character = start.character;
    }
  }
  return { line, character };
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
