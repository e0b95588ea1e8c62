/**
 * Language server entry. VS Code starts it over IPC; any other client runs
 * `node dist/server.js --stdio` (the transport is taken from the command line).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createServer } from './serverFactory';

const connection = createConnection(ProposedFeatures.all);
createServer().attach(connection);
connection.listen();
