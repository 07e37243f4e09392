/**
 * Page cursors: a query's LastEvaluatedKey as opaque base64url JSON, and back. A cursor that does not
 * decode to a key is the client's mistake (400), never a 500.
 */
export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid.');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
