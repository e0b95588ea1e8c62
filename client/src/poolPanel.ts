/**
 * The pool simulator panel host: command `ecpLens.openPoolSimulator`, one webview panel beside
 * the editor, messages to and from the panel (validated), line reveal with a highlight, cursor
 * following, re-simulation after edits, and restore through a webview panel serializer.
 * The host only asks the language server for traces: it never runs workspace code.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ClientHandle } from './languageClient';
import { SimulateRequest, type Trace } from '../../server/src/protocol';
import { panelHtml } from '../webview/html';
import { isPanelToHost, isPanelState, type HostToPanel, type PanelToHost } from '../webview/messages';
import { simulateParams, targetOfTrace, shiftPosition, RequestSequence, commandUri, commandFunction, commandPosition, isOutsideFunction, lensChoices, type PanelTarget } from './poolPanelParams';

export const POOL_VIEW_TYPE = 'ecpLens.poolSimulator';
export const OPEN_POOL_SIMULATOR = 'ecpLens.openPoolSimulator';
const RESIMULATE_DELAY_MS = 400;
const C_LANGUAGES = new Set(['c', 'cpp']);

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function render(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  return panelHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(18).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
  });
}

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : typeof err === 'object' && err && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  return message.replace(/^ecpLens\/simulate:\s*/, '');
}

class PoolPanel {
  static current: PoolPanel | undefined;
  target: PanelTarget | undefined;
  private latest: HostToPanel | undefined;
  private pendingError: string | undefined;
  private ready = false;
  private delivered = true;
  private preferredStep: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly seq = new RequestSequence();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });

  constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly handle: ClientHandle) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = render(panel.webview, extensionUri);
    this.disposables.push(
      this.highlight,
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isPanelToHost(m)) void this.onMessage(m);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followCursor(e)),
      vscode.workspace.onDidChangeTextDocument((e) => this.documentChanged(e)),
    );
  }

  /** Show `target` (a new function, or the same one again). */
  show(target: PanelTarget): void {
    const same = this.target && this.target.uri === target.uri && target.function !== undefined && this.target.function === target.function;
    this.target = { ...target, faults: same ? this.target!.faults : target.faults };
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    void this.simulate();
  }

  restore(state: unknown): void {
    if (!isPanelState(state)) return;
    this.target = targetOfTrace({ uri: state.trace.uri, faults: state.faults }, state.trace);
    this.preferredStep = state.step;
    void this.simulate();
  }

  private post(message: HostToPanel): void {
    if (message.type === 'trace' || message.type === 'clear') this.latest = message;
    if (!this.ready || !this.panel.visible) {
      if (message.type === 'trace' || message.type === 'clear') this.delivered = false;
      if (message.type === 'error') this.pendingError = message.message;
      return;
    }
    void this.panel.webview.postMessage(message);
    if (message.type === 'trace' || message.type === 'clear') this.delivered = true;
  }

  private async onMessage(message: PanelToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (!this.delivered && this.latest) this.post(this.latest);
        if (this.pendingError) this.post({ type: 'error', message: this.pendingError });
        this.pendingError = undefined;
        return;
      case 'revealLine':
        return this.revealLine(message.uri, message.line);
      case 'simulate': {
        if (!this.target || message.uri !== this.target.uri) return;
        // The function shown (kept with its position when its name is too long to send), or another by name.
        const same = message.function === this.target.function;
        const fn = same ? this.target.function : commandFunction(message.function);
        if (!fn) return;
        this.target = { uri: this.target.uri, function: fn, position: same ? this.target.position : undefined, faults: message.faults };
        return this.simulate();
      }
    }
  }

  /** Ask the server for a trace of the target; the latest request wins. */
  private async simulate(): Promise<void> {
    const target = this.target;
    if (!target) return;
    const id = this.seq.next();
    this.post({ type: 'busy', busy: true });
    try {
      await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
      if (!this.handle.client.isRunning()) throw new Error('the ECP Lens server is not running (ECP Lens: Restart Server)');
      const trace = await this.handle.client.sendRequest<Trace>(SimulateRequest, simulateParams(target));
      if (!this.seq.isLatest(id) || this.target !== target) return;
      Object.assign(target, targetOfTrace(target, trace));
      this.panel.title = `Pool: ${shortName(trace.function)}() (simulated)`;
      const step = this.stepFor(trace);
      this.post(step === undefined ? { type: 'trace', trace } : { type: 'trace', trace, step });
    } catch (err) {
      if (!this.seq.isLatest(id)) return;
      // Outside any function: offer the file's ECP functions; never keep another function's trace.
      if (target.position && isOutsideFunction(errorText(err))) return this.pickFunction(target);
      this.post({ type: 'error', message: `Simulation failed: ${errorText(err)}` });
    }
  }

  /** A QuickPick of the document's ECP functions (its "Simulate pool" lenses); none picked clears the panel. */
  private async pickFunction(target: PanelTarget): Promise<void> {
    const uri = vscode.Uri.parse(target.uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri).then((l) => l ?? [], () => []);
    const choices = lensChoices(lenses.map((l) => l.command));
    const file = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    if (choices.length === 0) return this.clear(`Nothing to simulate: the cursor is not inside a function, and ${file} has no function that calls an ECP routine.`);
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.name.length > 80 ? `${c.name.slice(0, 79)}…` : c.name, description: `line ${c.position.line + 1}`, choice: c })),
      { title: 'ECP Lens: simulate which function?', placeHolder: `The cursor is not inside a function: pick one of the ECP functions of ${file}` },
    );
    if (this.target !== target) return;
    if (!picked) return this.clear(`No function simulated: the cursor was not inside a function of ${file} and none was picked. Put the cursor inside a function, or click a "Simulate pool" code lens.`);
    this.target = { uri: target.uri, position: picked.choice.position, faults: target.faults };
    return this.simulate();
  }

  private clear(message: string): void {
    this.panel.title = 'Pool Simulator (simulated)';
    this.post({ type: 'clear', message });
  }

  /** The restored step; otherwise none, and the panel selects the step where the path goes wrong. */
  private stepFor(trace: Trace): number | undefined {
    const preferred = this.preferredStep;
    this.preferredStep = undefined;
    return preferred !== undefined && preferred < trace.steps.length + 1 ? preferred : undefined;
  }

  private async revealLine(uri: string, line: number): Promise<void> {
    // Only the simulated file and the program files its steps ran in (the panel names no others).
    const named = this.latest?.type === 'trace' ? this.latest.trace.steps.some((step) => step.file === uri) : false;
    if (!this.target || (uri !== this.target.uri && !named)) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const index = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
    const range = doc.lineAt(index).range;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
    const column = visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.highlight, []);
    editor.setDecorations(this.highlight, [range]);
  }

  private followCursor(e: vscode.TextEditorSelectionChangeEvent): void {
    if (!this.target || !this.ready || e.textEditor.document.uri.toString() !== this.target.uri) return;
    const line = e.selections[0]?.active.line;
    if (line !== undefined) this.post({ type: 'selectStep', line: line + 1 });
  }

  private documentChanged(e: vscode.TextDocumentChangeEvent): void {
    if (!this.target || e.contentChanges.length === 0 || e.document.uri.toString() !== this.target.uri) return;
    if (this.target.position) this.target.position = shiftPosition(this.target.position, e.contentChanges);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.simulate();
    }, RESIMULATE_DELAY_MS);
  }

  dispose(): void {
    if (PoolPanel.current === this) PoolPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.seq.next();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** A function name short enough for a tab title. */
function shortName(name: string): string {
  return name.length > 60 ? `${name.slice(0, 59)}…` : name;
}

function createPanel(extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    POOL_VIEW_TYPE,
    'Pool Simulator (simulated)',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { ...webviewOptions(extensionUri), retainContextWhenHidden: false },
  );
}

/** The target from the command's arguments, or from the active editor's cursor. */
function targetFromCommand(uriArg: unknown, fnArg: unknown, positionArg: unknown): PanelTarget | undefined {
  const uri = commandUri(uriArg);
  // A code lens gives the name's position: the server picks the function there, whatever its name.
  const position = commandPosition(positionArg);
  if (uri && position) return { uri, position };
  if (uri) return { uri, function: commandFunction(fnArg) };
  const editor = vscode.window.activeTextEditor;
  if (!editor || !C_LANGUAGES.has(editor.document.languageId)) {
    void vscode.window.showWarningMessage('ECP Lens: open a C or C++ file and put the cursor inside a function to simulate it.');
    return undefined;
  }
  const { line, character } = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line, character } };
}

export function activatePoolPanel(context: vscode.ExtensionContext, handle: ClientHandle): void {
  const open = (uriArg?: unknown, fnArg?: unknown, positionArg?: unknown): void => {
    const target = targetFromCommand(uriArg, fnArg, positionArg);
    if (!target) return;
    PoolPanel.current ??= new PoolPanel(createPanel(context.extensionUri), context.extensionUri, handle);
    PoolPanel.current.show(target);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_POOL_SIMULATOR, open),
    vscode.window.registerWebviewPanelSerializer(POOL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        PoolPanel.current?.dispose();
        const revived = new PoolPanel(panel, context.extensionUri, handle);
        PoolPanel.current = revived;
        revived.restore(state);
      },
    }),
    { dispose: () => PoolPanel.current?.dispose() },
  );
}
