/**
 * An error the real service answers with: its code (the exception name
 * the SDK turns into an error class), message and HTTP status.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}
