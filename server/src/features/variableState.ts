/**
 * Hover text for a local variable that holds an ECP object: what the simulated kernel says it
 * points to at a line, summed over the completed paths of a traced run of its function, and how
 * each path leaves it. Everything here is simulated and says so.
 */
import type { FunctionRun } from '../engine/analyzeFunction';
import type { PathState, TraceEvent } from '../engine/state';
import type { EcpContextObj, EcpListObj, KernelSnapshot, ObjId } from '../kernel/types';
import { routine } from '../catalog';
import { clipMessage, MAX_NAME_CHARS } from '../util/clip';

type EcpObj = EcpListObj | EcpContextObj;

interface PathView {
  /** Object the variable points to at the line; null = NULL after a failed call; undefined = not bound yet. */
  object: ObjId | null | undefined;
  /** State label at the line. */
  atLine: string | undefined;
  exit: string | undefined;
  allocation?: EcpObj;
}

/** Markdown for `name` at 0-based `line`, or undefined when no path ties the name to an ECP object. */
export function variableStateMarkdown(run: FunctionRun, fnName: string, name: string, line: number): string | undefined {
  const views = run.completed.filter((p) => !p.ended || p.ended.site.line >= line).map((p) => viewOf(p, name, line));
  const bound = views.filter((v) => v.object !== undefined);
  if (bound.length === 0) return undefined;
  const allocations = unique(bound.map((v) => v.allocation).filter((a): a is EcpObj => a !== undefined).map(describeAllocation));
  const head = `**${clipMessage(name, MAX_NAME_CHARS)}** — ${allocations.length ? allocations.join('; ') : 'ECP object'} (simulated)`;
  const atLine = countLabels(views.map((v) => v.atLine ?? 'not allocated yet'));
  const exits = countLabels(bound.map((v) => v.exit).filter((e): e is string => e !== undefined), bound.length);
  const lines = [head, `At line ${line + 1}: ${atLine}.`];
  if (exits) lines.push(`At the end of ${clipMessage(fnName, MAX_NAME_CHARS)}: ${exits}.`);
  const bounded = run.boundHit ? ` The exploration stopped early (${run.boundHit}).` : '';
  lines.push(`_Simulated over ${views.length === 1 ? '1 path that reaches' : `${views.length} paths that reach`} this line; state after the ECP calls up to it.${bounded}_`);
  return lines.join('\n\n');
}

function viewOf(path: PathState, name: string, line: number): PathView {
  const events = (path.trace ?? []).filter((e) => e.site.line <= line);
  let object: ObjId | null | undefined;
  let allocation: EcpObj | undefined;
  for (const ev of events) {
    const bound = bindingOf(ev, name);
    if (bound === undefined) continue;
    object = bound === null ? null : bound.id;
    if (bound) allocation = bound;
  }
  if (object === undefined) return { object, atLine: undefined, exit: undefined };
  if (object === null) return { object, atLine: 'NULL (the call failed)', exit: undefined };
  const last = events[events.length - 1];
  return { object, allocation, atLine: stateIn(last?.snapshot, object), exit: exitState(path, object) };
}

/** The object an ECP call writes into `name` (an out-parameter), null when it wrote NULL. */
function bindingOf(ev: TraceEvent, name: string): EcpObj | null | undefined {
  const info = routine(ev.routine);
  if (!info) return undefined;
  const mention = new RegExp(`(^|[^\\w.>])${escapeRegex(name)}\\b(?!\\s*(\\.|->))`);
  for (let i = 0; i < ev.args.length; i++) {
    const role = info.params[i]?.role;
    if (!mention.test(ev.args[i])) continue;
    if (role !== 'list-out' && role !== 'ecp-out') continue;
    const kind = role === 'list-out' ? 'ecp-list' : 'ecp-context';
    return objectsOf(ev.snapshot).find((o) => o.kind === kind && o.site.line === ev.site.line && o.site.character === ev.site.character) ?? null;
  }
  return undefined;
}

function objectsOf(s: KernelSnapshot): EcpObj[] {
  return [...s.lists, ...s.lists.flatMap((l) => l.contexts), ...s.looseContexts];
}

function stateIn(s: KernelSnapshot | undefined, id: ObjId): string {
  if (!s) return 'not allocated yet';
  const list = s.lists.find((l) => l.id === id);
  if (list) {
    const n = list.contexts.length;
    const held = list.owner === 'create' ? ', owned by the create' : list.owner === 'foreign' ? ' (belongs to the create in flight)' : '';
    return `a live list with ${n} context${n === 1 ? '' : 's'} inserted${held}`;
  }
  const inList = s.lists.find((l) => l.contexts.some((c) => c.id === id));
  if (inList) return 'inserted (the list owns it)';
  if (s.looseContexts.some((c) => c.id === id)) return 'allocated, in no list (still yours to free)';
  return 'freed';
}

function exitState(path: PathState, id: ObjId): string {
  const obj = path.kernel.get(id);
  const end = path.ended ? `${SUFFIX}(${path.ended.bugCheck ? 'bug check' : 'returns'} at line ${path.ended.site.line + 1})` : '';
  if (!obj || (obj.kind !== 'ecp-list' && obj.kind !== 'ecp-context')) return 'unknown';
  if (obj.state === 'freed') return 'freed';
  if (obj.owner === 'list') return 'owned by its list';
  if (obj.owner === 'create') return 'handed to the create';
  if (obj.owner === 'escaped') return 'handed off';
  if (obj.owner === 'foreign') return 'left with the create in flight';
  return `leaked${end}`;
}

function describeAllocation(o: EcpObj): string {
  const what = o.kind === 'ecp-list' ? 'ECP_LIST' : `ECP context${o.ecpType ? ` (${o.ecpType})` : ''}`;
  const how = o.owner === 'foreign' ? 'read' : 'allocated';
  return `${what} ${how} at line ${o.site.line + 1}`;
}

/** Separates a label from a detail written after the path count ("leaked on 1 path (returns at line 40)"). */
const SUFFIX = '\u0000';

/** "allocated on 3 paths, freed on 1 path"; "on all paths" when one label covers every path. */
function countLabels(labels: string[], total = labels.length): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const text = (label: string, paths: string) => {
    const [main, detail] = label.split(SUFFIX);
    return `${main} on ${paths}${detail ? ` ${detail}` : ''}`;
  };
  // One state on every path the run kept (paths that meet in the same state are kept once, so a
  // function with several ways through may leave one): "on all paths", whatever their number.
  if (counts.size === 1 && labels.length === total) return text(labels[0], 'all paths');
  return [...counts].map(([label, n]) => text(label, `${n} path${n === 1 ? '' : 's'}`)).join(', ');
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
