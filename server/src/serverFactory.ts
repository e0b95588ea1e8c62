/** The server with every feature module, as the editor, other LSP clients and tests get it. */
import { EcpLensServer } from './server';
import { codeActionsFeature } from './features/codeActions';
import { simulateFeature } from './simulate/feature';

export function createServer(): EcpLensServer {
  return new EcpLensServer().use(codeActionsFeature).use(simulateFeature);
}
