/** Commands that manage the server. */
import * as vscode from 'vscode';
import type { ClientHandle } from './languageClient';

export function activateCommands(context: vscode.ExtensionContext, handle: ClientHandle, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ecpLens.restartServer', async () => {
      output.appendLine('Restarting the ECP Lens server');
      await handle.restart();
    }),
    vscode.commands.registerCommand('ecpLens.showOutput', () => output.show(true)),
  );
}
