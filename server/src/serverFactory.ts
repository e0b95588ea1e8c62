/** The server with every feature module, as the editor, other LSP clients and tests get it. */
import { EcpLensServer } from './server';
import { codeActionsFeature } from './features/codeActions';
import { hoverFeature } from './features/hover';
import { signatureHelpFeature } from './features/signatureHelp';
import { completionFeature } from './features/completion';
import { simulateFeature } from './simulate/feature';

export function createServer(): EcpLensServer {
  const server = new EcpLensServer();
  return server
    .use(codeActionsFeature)
    .use(hoverFeature)
    .use(signatureHelpFeature)
    .use(completionFeature({ workspaceGuids: () => workspaceGuidsOf(server) }))
    .use(simulateFeature);
}

/** GUID names from the workspace index, when the server has one (`workspaceGuids()`). */
function workspaceGuidsOf(server: EcpLensServer): string[] {
  const provider = (server as unknown as { workspaceGuids?: () => string[] }).workspaceGuids;
  return typeof provider === 'function' ? provider.call(server) : [];
}
