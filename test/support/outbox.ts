/**
 * Reads the local run's outbox while it is being written. Every notification is one line ending in
 * a newline, so whatever follows the last newline is a line still being written: it is left for the
 * next read instead of failing to parse.
 */
import { readFile } from 'node:fs/promises';

export async function readOutbox<T = Record<string, unknown>>(file: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
