/**
 * A failure of the local run that the developer can fix (missing Java, port in use …). Its message
 * is one line meant to be printed as is, without a stack trace.
 */
export class LocalRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalRunError';
  }
}
