/** A start-up failure a merchant can fix; main.ts prints the message and exits non-zero. */
export class StartupError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StartupError';
  }
}
