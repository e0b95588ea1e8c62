/**
 * Server side of the pool simulator: the `ecpLens/simulate` request (on the document store's
 * current version) and a code lens above each function that calls ECP routines.
 */
import { type CodeLens, type Connection, ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { EcpLensServer, ServerFeature } from '../server';
import { SimulateRequest, type Trace } from '../protocol';
import { buildFileModel } from '../engine/fileModel';
import { simulate, SimulateError } from './simulate';
import { ecpFunctions, nameNode } from './select';
import { validateSimulateParams } from './params';
import { coverageLenses } from '../features/coverage';

export const OPEN_POOL_SIMULATOR_COMMAND = 'ecpLens.openPoolSimulator';
export const CODE_LENS_TITLE = '▶ Simulate pool (simulated)';

function runSimulate(server: EcpLensServer, raw: unknown): Trace {
  const checked = validateSimulateParams(raw);
  if ('error' in checked) throw new ResponseError(ErrorCodes.InvalidParams, `ecpLens/simulate: ${checked.error}`);
  const { params } = checked;
  const stored = server.documents.get(params.textDocument.uri);
  if (!stored) {
    throw new ResponseError(ErrorCodes.InvalidParams, `ecpLens/simulate: ${params.textDocument.uri} is not open in the server; open the document first.`);
  }
  const key = `simulate:${server.settings.maxPathsPerFunction}:${JSON.stringify(params)}`;
  try {
    return server.documents.cached(stored, key, () =>
      simulate(stored.parsed, stored.document.getText(), stored.uri, params, {
        limits: { maxPaths: server.settings.maxPathsPerFunction },
        readInclude: server.includeReader(stored.uri),
      }));
  } catch (err) {
    if (err instanceof SimulateError) throw new ResponseError(ErrorCodes.InvalidParams, `ecpLens/simulate: ${err.message}`);
    server.log(`simulate failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    throw new ResponseError(ErrorCodes.InternalError, `ecpLens/simulate: the simulation failed (${err instanceof Error ? err.message : String(err)}); see the ECP Lens output.`);
  }
}

function codeLenses(server: EcpLensServer, uri: string): CodeLens[] {
  if (!server.settings.codeLens) return [];
  const stored = server.documents.get(uri);
  if (!stored) return [];
  const model = server.documents.cached(stored, 'simulate:model', () => buildFileModel(stored.parsed.tree, stored.parsed.masked, stored.parsed.annotations));
  const coverage = server.guard('coverage', () => server.analysis(stored).file.coverage);
  return [...ecpFunctions(model).map((fn) => {
    const start = fn.node.startPosition;
    const nameAt = nameNode(fn).startPosition;
    return {
      range: { start: { line: start.row, character: start.column }, end: { line: nameAt.row, character: nameAt.column + fn.name.length } },
      command: { title: CODE_LENS_TITLE, command: OPEN_POOL_SIMULATOR_COMMAND, arguments: [uri, fn.name] },
    };
  }), ...(coverage ? coverageLenses(uri, coverage) : [])];
}

export const simulateFeature: ServerFeature = {
  capabilities(caps) {
    caps.codeLensProvider = { resolveProvider: false };
  },
  attach(server: EcpLensServer, connection: Connection) {
    connection.onRequest(SimulateRequest, (raw: unknown) => runSimulate(server, raw));
    connection.onCodeLens((p) => server.guard('codeLens', () => codeLenses(server, p.textDocument.uri)) ?? []);
  },
};
