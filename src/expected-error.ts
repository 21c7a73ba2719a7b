// Errors keyforge throws as answers, not as faults: bad credentials, validation failures,
// not-found, faults injected on purpose. They are rendered into vendor bodies and never logged
// with a stack, so they are Errors by prototype only: `instanceof Error`, `name`, `message` and
// `toString()` as usual, but no Error constructor runs. Even without capturing a stack, V8's
// Error constructor cost about a microsecond, on every rejected call.
export class ExpectedError implements Error {
  /** From Error.prototype ('Error'). */
  declare readonly name: string;
  /** Which check refused the call, when this error is a refusal (the journal shows it). */
  declare readonly refusal?: Refusal;
  message: string;
  constructor(message = '') {
    this.message = message;
  }
}
Object.setPrototypeOf(ExpectedError.prototype, Error.prototype);

/** The check that refused a call, as the request journal names it. */
export type Refusal =
  | 'authentication'
  | 'permission'
  | 'validation'
  | 'body'
  | 'body too large'
  | 'media type'
  | 'not acceptable'
  | 'not found'
  | 'method'
  | 'conflict'
  | 'fault'
  | 'rate limit'
  | 'unavailable'
  | 'server error'
  /** A 4xx no check above names. */
  | 'request';

/** An expected error that names the HTTP status to answer with; every vendor renders it in its own shape. */
export class StatusError extends ExpectedError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
