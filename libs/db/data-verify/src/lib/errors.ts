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
