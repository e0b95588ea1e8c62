/**
 * The lifecycle walk: one entry point (DriverEntry, the unload callback, or a callback for one
 * major function) followed path by path through its statements and the program functions it
 * calls (bounded depth). A path state holds only what these rules need: whether filtering has
 * started and the filter is unregistered, which statuses are known to be success or failure,
 * which names hold `MajorFunction`, and whether a check of it that cannot be decided guards the
 * path. States are sets, joined after each statement; bounds are reported, never guessed past.
 */
import { isSehLeave, type Node } from '../parsing/parser';
import type { FunctionDef } from '../engine/fileModel';
import { calleeName } from '../engine/relevance';
import { routineInfo } from '../engine/catalogAccess';
import { majorName } from './facts';
import { ppArmTaken } from '../engine/preprocessor';

/** A place in the program: `file` undefined is the analysed file; `header` a function of an included header. */
export interface Loc {
  file?: string;
  header?: boolean;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** Where an event happened, and the call sites (outermost first) that led there from the root. */
export interface Located {
  at: Loc;
  chain: Loc[];
}

export interface Resolved {
  fn: FunctionDef;
  file?: string;
  header: boolean;
}

/** A callback root runs for each of `majors` (none a create; `*` is every major function). */
export type Role = { kind: 'entry' } | { kind: 'unload' } | { kind: 'callback'; majors: string[] };

export interface WalkEvents {
  initAfterStart(init: Located, start: Located | undefined): void;
  deleteBeforeUnregister(del: Located, unregister: Located, start: Located | undefined): void;
  createOnly(call: Located, routine: string): void;
}

/**
 * Names are resolved where the call is written: `home` is the URI of the file of the calling
 * function (undefined: the analysed file or one of its headers), whose own `static` functions and
 * macros come first.
 */
export interface WalkEnv {
  resolve(name: string, home?: string): Resolved | undefined;
  macroBody(name: string, home?: string): string | undefined;
}

/** ok/fail: a status known to succeed or fail; major: holds MajorFunction; T/F: a decided condition; M: a MajorFunction check that cannot be decided. */
type V = 'ok' | 'fail' | 'major' | 'T' | 'F' | 'M' | undefined;

interface St {
  started: boolean;
  startedAt?: Located;
  unregistered: boolean;
  restricted: boolean;
  vars: Readonly<Record<string, V>>;
  saved: Readonly<Record<string, V>>[];
  pending: Located[];
  ret?: V;
}

interface Val {
  st: St;
  v: V;
}

interface Flow {
  next: St[];
  ret: St[];
  brk: St[];
  cont: St[];
  leave: St[];
}

interface Frame {
  res: Resolved;
  chain: Loc[];
  stack: string[];
  gotos: Map<string, St[]>;
  seen: Set<string>;
}

const MAX_CALL_DEPTH = 4;
const MAX_STATES = 64;
const MAX_STEPS = 50_000;
const MAX_NESTING = 400;
const STATUS_CHECKS = new Set(['NT_SUCCESS', 'NT_ERROR']);
const CREATE_LIKE = /^IRP_MJ_(CREATE\w*|QUERY_OPEN|NETWORK_QUERY_OPEN)$/;

export function isCreateLike(major: string): boolean {
  return CREATE_LIKE.test(major);
}

export class LifecycleWalk {
  private steps = 0;
  /** Why the walk did not follow every path (a bound, a backward goto), or undefined. */
  incomplete: string | undefined;

  constructor(private readonly env: WalkEnv, private readonly role: Role, private readonly events: WalkEvents) {}

  run(root: Resolved): void {
    const st: St = { started: this.role.kind === 'unload', unregistered: false, restricted: false, vars: {}, saved: [], pending: [] };
    const frame: Frame = { res: root, chain: [], stack: [frameKey(root)], gotos: new Map(), seen: new Set() };
    this.stmt(root.fn.body, [st], frame, 0);
  }

  private stmt(n: Node | null, ins: St[], fr: Frame, depth: number): Flow {
    const flow: Flow = { next: [], ret: [], brk: [], cont: [], leave: [] };
    if (!n || (ins.length === 0 && n.type !== 'compound_statement' && n.type !== 'labeled_statement')) return flow;
    if (++this.steps > MAX_STEPS || depth > MAX_NESTING) {
      this.incomplete ??= this.steps > MAX_STEPS ? `stopped after ${MAX_STEPS} statements` : `statements nested deeper than ${MAX_NESTING}`;
      return flow;
    }
    const sub = (c: Node | null, s: St[]) => this.stmt(c, s, fr, depth + 1);
    switch (n.type) {
      case 'compound_statement':
      case 'preproc_else': {
        let cur = ins;
        for (const c of n.namedChildren) {
          if (!c || c.type === 'comment') continue;
          const f = sub(c, cur);
          absorb(flow, f);
          cur = f.next;
        }
        flow.next = cur;
        return flow;
      }
      case 'expression_statement':
        if (isSehLeave(n)) {
          flow.leave = ins;
          return flow;
        }
        flow.next = this.states(this.expr(n.namedChild(0), ins, fr, depth));
        return flow;
      case 'declaration':
        flow.next = this.declaration(n, ins, fr, depth);
        return flow;
      case 'if_statement': {
        const d = this.decide(n.childForFieldName('condition'), ins, fr, depth);
        const alt = n.childForFieldName('alternative');
        const a = sub(n.childForFieldName('consequence'), d.yes);
        const b = alt ? sub(alt.type === 'else_clause' ? alt.namedChild(0) : alt, d.no) : { ...flow, next: d.no };
        return join(a, b);
      }
      case 'while_statement':
      case 'for_statement':
      case 'for_range_loop': {
        const init = n.childForFieldName('initializer');
        const start = init ? (init.type === 'declaration' ? this.declaration(init, ins, fr, depth) : this.states(this.expr(init, ins, fr, depth))) : ins;
        const d = this.decide(n.childForFieldName('condition'), start, fr, depth, n.type === 'for_range_loop');
        const body = sub(n.childForFieldName('body'), d.yes);
        return { ...flow, ret: body.ret, leave: body.leave, next: this.cap([...d.no, ...body.next, ...body.cont, ...body.brk]) };
      }
      case 'do_statement': {
        const body = sub(n.childForFieldName('body'), ins);
        const after = this.states(this.expr(n.childForFieldName('condition'), [...body.next, ...body.cont], fr, depth));
        return { ...flow, ret: body.ret, leave: body.leave, next: this.cap([...after, ...body.brk]) };
      }
      case 'switch_statement':
        return this.switchStmt(n, ins, fr, depth);
      case 'return_statement': {
        const vals = this.expr(n.namedChild(0), ins, fr, depth);
        flow.ret = vals.map((x) => ({ ...x.st, ret: x.v === 'ok' || x.v === 'fail' ? x.v : undefined }));
        return flow;
      }
      case 'break_statement':
        flow.brk = ins;
        return flow;
      case 'continue_statement':
        flow.cont = ins;
        return flow;
      case 'seh_leave_statement':
        flow.leave = ins;
        return flow;
      case 'goto_statement': {
        const label = n.childForFieldName('label')?.text ?? '';
        if (fr.seen.has(label)) this.incomplete ??= `a backward goto to ${label} was not followed`;
        else fr.gotos.set(label, [...(fr.gotos.get(label) ?? []), ...ins]);
        return flow;
      }
      case 'labeled_statement': {
        const label = n.childForFieldName('label')?.text ?? '';
        fr.seen.add(label);
        const joined = this.cap([...ins, ...(fr.gotos.get(label) ?? [])]);
        fr.gotos.delete(label);
        return sub(n.namedChildren.find((c) => c?.type !== 'statement_identifier') ?? null, joined);
      }
      case 'seh_try_statement': {
        const body = sub(n.childForFieldName('body'), ins);
        const fin = n.namedChildren.find((c) => c?.type === 'seh_finally_clause')?.childForFieldName('body') ?? null;
        const normal = [...body.next, ...body.leave];
        if (!fin) return { ...body, next: normal, leave: [] };
        const a = sub(fin, normal);
        const r = sub(fin, body.ret);
        return { next: a.next, ret: [...a.ret, ...r.next, ...r.ret], brk: [...body.brk, ...a.brk], cont: [...body.cont, ...a.cont], leave: [] };
      }
      case 'try_statement':
        return sub(n.childForFieldName('body'), ins);
      case 'attributed_statement':
        return sub(n.namedChildren.find((c) => c?.type !== 'attribute_declaration') ?? null, ins);
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
        return this.conditionalCompilation(n, ins, fr, depth);
      default:
        flow.next = ins;
        return flow;
    }
  }

  /** The `#if` arm the build takes; when the configuration does not tell, each arm is a path of its own. */
  private conditionalCompilation(n: Node, ins: St[], fr: Frame, depth: number): Flow {
    const alt = n.childForFieldName('alternative');
    const cond = n.childForFieldName('condition');
    const name = n.childForFieldName('name');
    // The arm the build configuration of the function's file takes, when it tells (else literals).
    const taken = ppArmTaken(n, fr.res.fn.pp);
    const bodyFlow = (s: St[]): Flow => {
      let cur = s;
      const flow: Flow = { next: [], ret: [], brk: [], cont: [], leave: [] };
      for (const c of n.namedChildren) {
        if (!c || c.id === alt?.id || c.id === cond?.id || c.id === name?.id) continue;
        const f = this.stmt(c, cur, fr, depth + 1);
        absorb(flow, f);
        cur = f.next;
      }
      flow.next = cur;
      return flow;
    };
    const rest = (s: St[]): Flow => (alt ? this.stmt(alt, s, fr, depth + 1) : { next: s, ret: [], brk: [], cont: [], leave: [] });
    if (taken === false) return rest(ins);
    if (taken === true) return bodyFlow(ins);
    return join(bodyFlow(ins), rest(ins));
  }

  private switchStmt(n: Node, ins: St[], fr: Frame, depth: number): Flow {
    const vals = this.expr(n.childForFieldName('condition'), ins, fr, depth);
    const cases = (n.childForFieldName('body')?.namedChildren ?? []).filter((c): c is Node => c?.type === 'case_statement');
    const flow: Flow = { next: [], ret: [], brk: [], cont: [], leave: [] };
    const entries = cases.map(() => [] as St[]);
    const hasDefault = cases.some((c) => !c.childForFieldName('value'));
    for (const { st, v } of vals) {
      const onMajor = this.role.kind === 'callback' && v === 'major';
      const values = cases.map((c) => c.childForFieldName('value')?.text.trim());
      const cmps = values.map((value) => (value === undefined ? 'default' : onMajor ? this.compareMajor(value) : undefined));
      const unsure = cmps.includes('M');
      const entered = unsure ? { ...st, restricted: true } : st;
      // The default arm (or past the switch) runs for a major function no case names.
      const named = new Set(values.map((x) => x && majorName(x)));
      const noCaseNames = !onMajor || this.majors().some((m) => m === '*' || !named.has(m));
      cmps.forEach((cmp, i) => {
        if (cmp === 'default' ? noCaseNames || unsure : cmp !== 'F') entries[i].push(entered);
      });
      if (!hasDefault && (noCaseNames || unsure)) flow.next.push(entered);
    }
    let fall: St[] = [];
    for (let i = 0; i < cases.length; i++) {
      let cur = this.cap([...fall, ...entries[i]]);
      for (const c of cases[i].namedChildren) {
        if (!c || c.id === cases[i].childForFieldName('value')?.id || c.type === 'comment') continue;
        const f = this.stmt(c, cur, fr, depth + 1);
        flow.ret.push(...f.ret);
        flow.cont.push(...f.cont);
        flow.leave.push(...f.leave);
        flow.next.push(...f.brk);
        cur = f.next;
      }
      fall = cur;
    }
    flow.next = this.cap([...flow.next, ...fall]);
    return flow;
  }

  private declaration(n: Node, ins: St[], fr: Frame, depth: number): St[] {
    let cur = ins;
    for (const d of n.childrenForFieldName('declarator')) {
      if (d?.type !== 'init_declarator') continue;
      const name = d.childForFieldName('declarator');
      const vals = this.expr(d.childForFieldName('value'), cur, fr, depth);
      cur = this.states(vals.map((x) => ({ st: name?.type === 'identifier' ? setVar(x.st, name.text, x.v) : x.st, v: x.v })));
    }
    return cur;
  }

  /** The states where a condition holds and where it fails. */
  private decide(cond: Node | null, ins: St[], fr: Frame, depth: number, unknownOnly = false): { yes: St[]; no: St[] } {
    if (!cond) return { yes: ins, no: unknownOnly ? ins : [] };
    const yes: St[] = [];
    const no: St[] = [];
    for (const { st, v } of this.expr(cond, ins, fr, depth)) {
      const w = v === undefined && this.role.kind === 'callback' && this.mentionsMajor(cond, st, fr) ? 'M' : v;
      if (w === 'T' || w === 'fail') yes.push(st);
      else if (w === 'F' || w === 'ok') no.push(st);
      else if (w === 'M') {
        yes.push({ ...st, restricted: true });
        no.push({ ...st, restricted: true });
      } else {
        yes.push(st);
        no.push(st);
      }
    }
    return { yes: this.cap(yes), no: this.cap(no) };
  }

  /** A condition that reads MajorFunction (directly, through a name, a helper or a macro) in a way not decided here. */
  private mentionsMajor(cond: Node, st: St, fr: Frame): boolean {
    if (/\bMajorFunction\b/.test(cond.text)) return true;
    for (const id of cond.text.match(/[A-Za-z_]\w*/g) ?? []) {
      if (st.vars[id] === 'major') return true;
      const body = this.env.macroBody(id, fr.res.file) ?? this.env.resolve(id, fr.res.file)?.fn.body.text;
      if (body !== undefined ? /\bMajorFunction\b/.test(body) : /Create|MajorFunction|IRP_MJ/i.test(id) && !routineInfo(id) && /^[A-Za-z_]\w*$/.test(id) && cond.text.includes(`${id}(`)) return true;
    }
    return false;
  }

  /** MajorFunction compared with `value` on this root's path: T, F, undefined (both, neither a create) or M. */
  private compareMajor(value: string): V {
    if (this.role.kind !== 'callback') return undefined;
    const major = majorName(value);
    if (!major) return 'M';
    if (isCreateLike(major)) return 'F';
    const majors = this.majors();
    if (majors.includes('*')) return undefined;
    if (!majors.includes(major)) return 'F';
    return majors.length === 1 ? 'T' : undefined;
  }

  private majors(): string[] {
    return this.role.kind === 'callback' ? this.role.majors : [];
  }

  private expr(n: Node | null, ins: St[], fr: Frame, depth: number): Val[] {
    const plain = (s: St[]): Val[] => s.map((st) => ({ st, v: undefined }));
    if (!n || ins.length === 0) return plain(ins);
    if (++this.steps > MAX_STEPS || depth > MAX_NESTING) {
      this.incomplete ??= `stopped after ${MAX_STEPS} steps`;
      return [];
    }
    const d = depth + 1;
    switch (n.type) {
      case 'parenthesized_expression':
      case 'condition_clause': {
        const inner = n.namedChildren.filter((c) => c && c.type !== 'comment');
        return inner.length === 1 ? this.expr(inner[0], ins, fr, d) : this.children(n, ins, fr, d);
      }
      case 'cast_expression':
        return this.expr(n.childForFieldName('value'), ins, fr, d);
      case 'identifier':
        return ins.map((st) => ({ st, v: n.text in st.vars ? st.vars[n.text] : n.text === 'STATUS_SUCCESS' ? 'ok' : undefined }));
      case 'field_expression': {
        const isMajor = n.childForFieldName('field')?.text === 'MajorFunction';
        return this.expr(n.childForFieldName('argument'), ins, fr, d).map((x) => ({ st: x.st, v: isMajor ? 'major' : undefined }));
      }
      case 'assignment_expression': {
        const left = n.childForFieldName('left');
        const simple = n.childForFieldName('operator')?.text === '=' || n.child(1)?.text === '=';
        return this.expr(n.childForFieldName('right'), ins, fr, d).map((x) => ({ st: left?.type === 'identifier' ? setVar(x.st, left.text, simple ? x.v : undefined) : x.st, v: x.v }));
      }
      case 'unary_expression': {
        const negate = n.childForFieldName('operator')?.text === '!';
        return this.expr(n.childForFieldName('argument'), ins, fr, d).map((x) => ({ st: x.st, v: negate ? not(x.v === 'ok' ? 'T' : x.v === 'fail' ? 'F' : x.v) : undefined }));
      }
      case 'binary_expression':
        return this.binary(n, ins, fr, d);
      case 'conditional_expression': {
        const c = this.decide(n.childForFieldName('condition'), ins, fr, d);
        return [...this.expr(n.childForFieldName('consequence'), c.yes, fr, d), ...this.expr(n.childForFieldName('alternative'), c.no, fr, d)];
      }
      case 'call_expression':
        return this.call(n, ins, fr, d);
      default:
        return this.children(n, ins, fr, d);
    }
  }

  /** Evaluates every child for its calls; the value is unknown. */
  private children(n: Node, ins: St[], fr: Frame, depth: number): Val[] {
    let cur = ins;
    for (const c of n.namedChildren) if (c && c.type !== 'comment') cur = this.states(this.expr(c, cur, fr, depth));
    return cur.map((st) => ({ st, v: undefined }));
  }

  private binary(n: Node, ins: St[], fr: Frame, depth: number): Val[] {
    const op = n.childForFieldName('operator')?.text ?? '';
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const out: Val[] = [];
    for (const l of this.expr(left, ins, fr, depth)) {
      if ((op === '&&' && l.v === 'F') || (op === '||' && l.v === 'T')) {
        out.push(l);
        continue;
      }
      for (const r of this.expr(right, [l.st], fr, depth)) {
        let v: V;
        if (op === '&&' || op === '||') {
          const unit = op === '&&' ? 'T' : 'F';
          v = l.v === unit ? r.v : r.v === not(unit) ? r.v : l.v === 'M' || r.v === 'M' ? 'M' : undefined;
        } else if (op === '==' || op === '!=') {
          const eq = l.v === 'major' ? this.compareMajor(right!.text.trim()) : r.v === 'major' ? this.compareMajor(left!.text.trim()) : statusEq(l.v, r.v);
          v = op === '==' ? eq : not(eq);
        } else if ((op === '<' || op === '>=') && right?.text.trim() === '0' && (l.v === 'ok' || l.v === 'fail')) {
          v = (l.v === 'fail') === (op === '<') ? 'T' : 'F';
        }
        out.push({ st: r.st, v });
      }
    }
    return out;
  }

  private call(n: Node, ins: St[], fr: Frame, depth: number): Val[] {
    const name = calleeName(n);
    const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => Boolean(c) && c!.type !== 'comment');
    if (STATUS_CHECKS.has(name) && args.length === 1) {
      return this.expr(args[0], ins, fr, depth).map((x) => ({ st: x.st, v: x.v === 'ok' || x.v === 'fail' ? ((x.v === 'ok') === (name === 'NT_SUCCESS') ? 'T' : 'F') : undefined }));
    }
    let cur = ins;
    for (const a of args) cur = this.states(this.expr(a, cur, fr, depth));
    const here: Located = { at: locOf(n, fr.res), chain: fr.chain };
    const lifecycle = this.role.kind !== 'callback';
    const op = routineInfo(name)?.op;
    if (lifecycle && name === 'FltStartFiltering') return cur.flatMap((st) => [{ st: { ...st, started: true, startedAt: here }, v: 'ok' as V }, { st, v: 'fail' as V }]);
    if (lifecycle && name === 'FltUnregisterFilter') {
      return cur.map((st) => {
        for (const del of st.pending) this.events.deleteBeforeUnregister(del, here, st.startedAt);
        return { st: { ...st, unregistered: true, pending: [] }, v: undefined };
      });
    }
    if (lifecycle && (op === 'initLookaside' || op === 'deleteLookaside')) {
      return cur.map((st) => {
        const live = st.started && !st.unregistered;
        if (live && op === 'initLookaside' && this.role.kind === 'entry') this.events.initAfterStart(here, st.startedAt);
        return { st: live && op === 'deleteLookaside' ? { ...st, pending: [...st.pending, here] } : st, v: undefined };
      });
    }
    if (!lifecycle && (op === 'getListFromCreate' || op === 'setListIntoCreate')) {
      for (const st of cur) if (!st.restricted) this.events.createOnly(here, name);
      return cur.map((st) => ({ st, v: undefined }));
    }
    const callee = op ? undefined : this.env.resolve(name, fr.res.file);
    const key = callee && frameKey(callee);
    if (!callee || !key || fr.chain.length >= MAX_CALL_DEPTH || fr.stack.includes(key)) return cur.map((st) => ({ st, v: undefined }));
    const frame: Frame = { res: callee, chain: [...fr.chain, here.at], stack: [...fr.stack, key], gotos: new Map(), seen: new Set() };
    const flow = this.stmt(callee.fn.body, cur.map((st) => ({ ...st, saved: [...st.saved, st.vars], vars: {} })), frame, depth);
    return [...flow.next, ...flow.ret].map((st) => ({ st: { ...st, vars: st.saved[st.saved.length - 1] ?? {}, saved: st.saved.slice(0, -1), ret: undefined }, v: st.ret }));
  }

  private states(vals: Val[]): St[] {
    return this.cap(vals.map((x) => x.st));
  }

  /** Drops duplicate states; past the bound the rest is not followed (and said so). */
  private cap(states: St[]): St[] {
    if (states.length <= 1) return states;
    const seen = new Set<string>();
    const out: St[] = [];
    for (const st of states) {
      const key = stateKey(st);
      if (seen.has(key)) continue;
      seen.add(key);
      if (out.length >= MAX_STATES) {
        this.incomplete ??= `more than ${MAX_STATES} distinct path states at one point`;
        break;
      }
      out.push(st);
    }
    return out;
  }
}

function stateKey(st: St): string {
  const vars = (r: Readonly<Record<string, V>>) => Object.keys(r).map((k) => `${k}=${r[k]}`).join(',');
  const pending = st.pending.map((p) => `${p.at.file}:${p.at.line}:${p.at.character}`).join(',');
  return `${+st.started}${+st.unregistered}${+st.restricted}${st.ret ?? ''}|${vars(st.vars)}|${st.saved.map(vars).join(';')}|${pending}`;
}

function absorb(into: Flow, f: Flow): void {
  into.ret.push(...f.ret);
  into.brk.push(...f.brk);
  into.cont.push(...f.cont);
  into.leave.push(...f.leave);
}

function join(a: Flow, b: Flow): Flow {
  return { next: [...a.next, ...b.next], ret: [...a.ret, ...b.ret], brk: [...a.brk, ...b.brk], cont: [...a.cont, ...b.cont], leave: [...a.leave, ...b.leave] };
}

function setVar(st: St, name: string, v: V): St {
  const vars = { ...st.vars };
  if (v === 'ok' || v === 'fail' || v === 'major') vars[name] = v;
  else delete vars[name];
  return { ...st, vars };
}

function not(v: V): V {
  return v === 'T' ? 'F' : v === 'F' ? 'T' : v === 'M' ? 'M' : undefined;
}

function statusEq(a: V, b: V): V {
  const known = (x: V) => x === 'ok' || x === 'fail';
  if (known(a) && b === 'ok') return a === 'ok' ? 'T' : 'F';
  if (known(b) && a === 'ok') return b === 'ok' ? 'T' : 'F';
  return undefined;
}

/** A function on the walk's call stack: two files' `static` functions of one name are two functions. */
function frameKey(res: Resolved): string {
  return `${res.file ?? ''}\u0000${res.fn.name}`;
}

function locOf(n: Node, res: Resolved): Loc {
  return { file: res.file, header: res.header || undefined, line: n.startPosition.row, character: n.startPosition.column, endLine: n.endPosition.row, endCharacter: n.endPosition.column };
}
