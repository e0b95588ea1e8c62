/** A language status item on C/C++ files that shows the server's state. */
import * as vscode from 'vscode';
import type { ClientHandle } from './languageClient';
import { DOCUMENT_SELECTOR } from './languageClient';
import { ServerStatusNotification, type ServerStatus } from '../../server/src/protocol';
import { statusDetail } from './statusText';

export function activateStatus(context: vscode.ExtensionContext, handle: ClientHandle): void {
  const item = vscode.languages.createLanguageStatusItem('ecpLens.status', DOCUMENT_SELECTOR);
  item.name = 'ECP Lens';
  item.text = '$(sync~spin) ECP Lens';
  item.detail = 'starting';
  item.command = { title: 'Show Output', command: 'ecpLens.showOutput' };
  context.subscriptions.push(item);

  handle.onStateChange((state) => {
    if (state === 'stopped') {
      item.text = '$(error) ECP Lens';
      item.detail = 'server stopped';
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.command = { title: 'Restart', command: 'ecpLens.restartServer' };
    } else if (state === 'starting') {
      item.text = '$(sync~spin) ECP Lens';
      item.detail = 'starting';
      item.severity = vscode.LanguageStatusSeverity.Information;
    }
  });
  handle.client.onNotification(ServerStatusNotification, (status: ServerStatus) => {
    item.busy = status.state === 'indexing' || status.state === 'starting';
    item.severity = status.state === 'error' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    item.text = status.state === 'error' ? '$(error) ECP Lens' : '$(check) ECP Lens';
    item.detail = statusDetail(status.message);
    item.command = { title: 'Show Output', command: 'ecpLens.showOutput' };
  });
}

