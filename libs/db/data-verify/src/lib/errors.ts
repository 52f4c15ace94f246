/**
 * A request data verify cannot carry out as asked (an unknown or ambiguous `--table`, a bad option, a server too
 * old). Database failures are `DatabaseError`s from `@bluegreen/pg-connect` instead. Either way: could not verify.
 */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

/**
 * The comparison would cover no table at all (neither side has a user table, or every table was filtered out):
 * there is no verdict to give, so it is refused unless the caller explicitly accepts an empty comparison.
 */
export class NothingToCompareError extends VerifyInputError {
  constructor(message: string) {
    super(`nothing to compare: ${message}`);
    this.name = 'NothingToCompareError';
  }
}

/** The run was aborted (its `signal`); what finished is in the checkpoint, when there is one. */
export class VerifyAbortedError extends Error {
  constructor(checkpoint?: string) {
    super(`verification interrupted${checkpoint ? `; finished chunks are recorded in ${checkpoint}: rerun with the same --checkpoint to continue` : ''}`);
    this.name = 'VerifyAbortedError';
  }
}
