// Errors keyforge throws as answers, not as faults: bad credentials, validation failures,
// not-found, faults injected on purpose. They are rendered into vendor bodies and never logged
// with a stack, so none is captured — on a rejected call, capturing the async stack cost more
// than the rest of the request.
export class ExpectedError extends Error {
  constructor(message?: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}
