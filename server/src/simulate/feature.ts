/**
 * Server side of the pool simulator: the `ecpLens/simulate` request (on the document store's
 * current version) and a code lens above each function that calls ECP routines.
 */
import { type CancellationToken, type CodeLens, type Connection, ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { StoredDocument } from '../documents';
import { runInSlices, WorkStopped } from '../util/slices';
import type { EcpLensServer, ServerFeature } from '../server';
import { SimulateRequest, type Trace } from '../protocol';
import { simulateInSlices, SimulateError } from './simulate';
import { ecpFunctions, nameNode } from './select';
import { validateSimulateParams } from './params';
import { coverageLenses } from '../features/coverage';
import { stoppedError } from '../features/requestContext';

export const OPEN_POOL_SIMULATOR_COMMAND = 'ecpLens.openPoolSimulator';
export const CODE_LENS_TITLE = '▶ Simulate pool (simulated)';

async function runSimulate(server: EcpLensServer, raw: unknown, token: CancellationToken): Promise<Trace> {
  const checked = validateSimulateParams(raw);
  if ('error' in checked) throw new ResponseError(ErrorCodes.InvalidParams, `ecpLens/simulate: ${checked.error}`);
  const { params } = checked;
  const stored = server.documents.get(params.textDocument.uri);
  if (!stored) {
    throw new ResponseError(ErrorCodes.InvalidParams, `ecpLens/simulate: ${params.textDocument.uri} is not open in the server; open the document first.`);
  }
  const workspace = server.workspaceFacts(stored.uri);
  const key = `simulate:${server.settings.maxPathsPerFunction}:${server.buildFacts(stored.uri)?.key ?? "-"}:${workspace?.programKey ?? '-'}:${JSON.stringify(params)}`;
  const cached = stored.cache.get(key) as Trace | undefined;
  if (cached) return cached;
  // The run reads the tree across turns: the store keeps this document's parse until it ends.
  server.documents.pin(stored.uri);
  try {
    const work = simulateInSlices(stored.parsed, stored.document.getText(), stored.uri, params, {
      limits: { maxPaths: server.settings.maxPathsPerFunction },
      readInclude: server.includeReader(stored.uri),
      build: server.buildFacts(stored.uri),
      workspace,
      model: server.documents.fileModel(stored),
    });
    // Runs in slices: hover, completion and signature help are answered between them, and a
    // change or close of the document (whose tree the run reads) stops it.
    const version = stored.version;
    const trace = await runInSlices(work, { stopReason: () => stopReason(server, stored, version, token) });
    stored.cache.set(key, trace);
    return trace;
  } catch (err) {
    throw simulateError(server, err);
  } finally {
    server.documents.unpin(stored.uri);
  }
}

function stopReason(server: EcpLensServer, stored: StoredDocument, version: number, token: CancellationToken): 'cancelled' | 'outdated' | undefined {
  if (token.isCancellationRequested) return 'cancelled';
  return server.documents.get(stored.uri) === stored && stored.version === version ? undefined : 'outdated';
}

function simulateError(server: EcpLensServer, err: unknown): ResponseError<void> {
  if (err instanceof WorkStopped) return stoppedError('ecpLens/simulate', err);
  if (err instanceof SimulateError) return new ResponseError(ErrorCodes.InvalidParams, `ecpLens/simulate: ${err.message}`);
  server.log(`simulate failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  return new ResponseError(ErrorCodes.InternalError, `ecpLens/simulate: the simulation failed (${err instanceof Error ? err.message : String(err)}); see the ECP Lens output.`);
}

async function codeLenses(server: EcpLensServer, uri: string, token: CancellationToken): Promise<CodeLens[]> {
  if (!server.settings.codeLens) return [];
  const stored = server.documents.get(uri);
  if (!stored) return [];
  const model = server.documents.fileModel(stored);
  // The coverage lenses wait for the analysis, which runs in slices; if it fails, the simulator's remain.
  const coverage = await server.analysis(stored, token).then(
    (result) => result.file.coverage,
    (err) => {
      if (err instanceof WorkStopped) throw err;
      server.log(`coverage failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    },
  );
  return [...ecpFunctions(model).map((fn) => {
    const start = fn.node.startPosition;
    const nameAt = nameNode(fn).startPosition;
    return {
      range: { start: { line: start.row, character: start.column }, end: { line: nameAt.row, character: nameAt.column + fn.name.length } },
      // The name's position picks the function; the name alone is for display and older clients.
      command: { title: CODE_LENS_TITLE, command: OPEN_POOL_SIMULATOR_COMMAND, arguments: [uri, fn.name, { line: nameAt.row, character: nameAt.column }] },
    };
  }), ...(coverage ? coverageLenses(uri, coverage) : [])];
}

export const simulateFeature: ServerFeature = {
  capabilities(caps) {
    caps.codeLensProvider = { resolveProvider: false };
  },
  attach(server: EcpLensServer, connection: Connection) {
    connection.onRequest(SimulateRequest, (raw: unknown, token: CancellationToken) => runSimulate(server, raw, token));
    connection.onCodeLens((p, token) => server.guardRequest('textDocument/codeLens', () => codeLenses(server, p.textDocument.uri, token), []));
  },
};
