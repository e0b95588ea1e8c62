/** Extension entry: starts the language client and the client-side features. */
import * as vscode from 'vscode';
import { startClient, type ClientHandle } from './languageClient';
import { activateStatus } from './status';
import { activateCommands } from './commands';
import { activatePoolPanel } from './poolPanel';
import { activateCoverage } from './coverage';
import { activateRuleDocs } from './ruleDocs';

let handle: ClientHandle | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('ECP Lens', { log: true });
  context.subscriptions.push(output);
  handle = startClient(context, output);
  activateStatus(context, handle);
  activateCommands(context, handle, output);
  activatePoolPanel(context, handle);
  activateCoverage(context, handle);
  activateRuleDocs(context, context.asAbsolutePath('docs/rules.md'));
  await handle.start();
}

export async function deactivate(): Promise<void> {
  await handle?.stop();
}
