/**
 * Wires LSP capabilities to the document store and the features. No ECP knowledge lives here.
 * The server object is built first and attached to a connection afterwards, so tests, the CLI and
 * the editor share the same code.
 */
import {
  type Connection,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  DiagnosticSeverity,
  type Diagnostic,
} from 'vscode-languageserver';
import { DocumentStore, type StoredDocument } from './documents';
import { initParser } from './parsing/parser';
import { analyzeParsed, type AnalysisResult, type Finding } from './analysis';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './config';
import { ruleDocUrl } from './rules/registry';
import { ServerStatusNotification, type ServerStatus } from './protocol';
import { Debouncer } from './util/debounce';

export const SERVER_NAME = 'ecp-lens';
import { SERVER_VERSION } from './version';
export { SERVER_VERSION };

export class EcpLensServer {
  readonly documents = new DocumentStore();
  settings: Settings = DEFAULT_SETTINGS;
  private connection: Connection | undefined;
  private readonly debouncer = new Debouncer();
  private supportsConfiguration = false;

  attach(connection: Connection): void {
    this.connection = connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onDidOpenTextDocument((p) => this.guard('didOpen', () => {
      this.documents.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
      this.scheduleDiagnostics(p.textDocument.uri, true);
    }));
    connection.onDidChangeTextDocument((p) => this.guard('didChange', () => {
      this.documents.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
      this.scheduleDiagnostics(p.textDocument.uri, false);
    }));
    connection.onDidCloseTextDocument((p) => this.guard('didClose', () => {
      this.debouncer.cancel(p.textDocument.uri);
      this.documents.close(p.textDocument.uri);
      void connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
    }));
    connection.onDidChangeConfiguration((p) => void this.refreshSettings(p.settings));
    connection.onShutdown(() => this.dispose());
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.supportsConfiguration = Boolean(params.capabilities.workspace?.configuration);
    this.settings = normalizeSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
    await initParser();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  }

  private async initialized(): Promise<void> {
    if (this.supportsConfiguration) await this.refreshSettings(undefined);
    this.status({ state: 'ready', message: 'ECP Lens is ready' });
  }

  private async refreshSettings(pushed: unknown): Promise<void> {
    let raw: unknown = (pushed as { ecpLens?: unknown } | undefined)?.ecpLens;
    if (this.supportsConfiguration && this.connection) {
      try {
        raw = await this.connection.workspace.getConfiguration('ecpLens');
      } catch (err) {
        this.log(`could not read settings: ${String(err)}`);
      }
    }
    if (raw !== undefined) this.settings = normalizeSettings(raw);
    for (const uri of this.documents.uris()) this.scheduleDiagnostics(uri, true);
  }

  /** Analysis for the current version, computed once per version. */
  analysis(stored: StoredDocument): AnalysisResult {
    return this.documents.cached(stored, 'analysis', () => {
      const result = analyzeParsed(stored.parsed, stored.document.getText(), { settings: this.settings });
      for (const line of result.log) this.log(`${stored.uri}: ${line}`);
      return result;
    });
  }

  private scheduleDiagnostics(uri: string, immediate: boolean): void {
    const delay = immediate ? 0 : this.settings.diagnosticsDelay;
    this.debouncer.schedule(uri, delay, () => this.publishDiagnostics(uri));
  }

  private publishDiagnostics(uri: string): void {
    const stored = this.documents.get(uri);
    if (!stored || !this.connection) return;
    const version = stored.version;
    const findings = this.guard('analysis', () => this.analysis(stored)) ?? { findings: [] };
    if (this.documents.get(uri)?.version !== version) return;
    void this.connection.sendDiagnostics({ uri, version, diagnostics: findings.findings.map((f) => toDiagnostic(uri, f)) });
  }

  status(status: ServerStatus): void {
    void this.connection?.sendNotification(ServerStatusNotification, status);
  }

  log(message: string): void {
    this.connection?.console.log(message);
  }

  /** Runs a handler; an exception is logged and never takes the server down. */
  guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.log(`${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    this.debouncer.dispose();
    this.documents.dispose();
  }
}

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(uri: string, f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code) },
    source: SERVER_NAME,
    message: f.message,
    relatedInformation: f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message })),
  };
}
