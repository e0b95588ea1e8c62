/** Text of the language status item (no vscode import, so tests can use it). */

/**
 * The item's detail: VS Code shows the item's name before it, so "ECP Lens is ready (11 files
 * indexed)" becomes "is ready (11 files indexed)" and the hover says "ECP Lens" once.
 */
export function statusDetail(message: string): string {
  // "ECP Lens: indexing the workspace" too: the hover showed "ECP Lens – ECP Lens: indexing…".
  return message.replace(/^ECP Lens:?\s+/, '');
}
