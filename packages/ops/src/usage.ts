/** Exit codes of every ops command: the one place that says what they mean. */
export const EXIT = {
  /** verify: every check passed; releases: the report was written. */
  ok: 0,
  /** verify: a check failed; releases: the history could not be read. */
  failed: 1,
  /** Bad usage, or no AWS credentials. */
  usage: 2,
} as const;

/** A flag or value the user can fix: exit 2, the message names the flag, the value and what is allowed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** No usable credentials in the SDK's default chain: exit 2, the message says how to provide them. */
export class NoCredentialsError extends Error {
  constructor(cause: string) {
    super(
      `no usable AWS credentials (${cause}). Provide them the way the AWS CLI takes them: ` +
        '`aws sso login --profile <name>` then AWS_PROFILE=<name> before the command, or ' +
        'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment, ' +
        'or an instance or container role. Check with `aws sts get-caller-identity`.',
    );
    this.name = 'NoCredentialsError';
  }
}
