/** `ecp-lens simulate` — filled in by the pool simulator. */
import { UsageError } from './files';
import type { Output } from './run';

export async function simulateCommand(_args: unknown, _out: Output): Promise<number> {
  throw new UsageError('simulate is not available in this build yet');
}
