// The differences between keyforge and a vendor's reference that are known and explained, each
// with its reason; docs/vendors/<vendor>.md lists the same. A replayed call whose answers differ
// in any other way is unexplained, and fails the suite. Each entry recognises its difference
// from the call and both answers, as narrowly as it can.
import type { Call } from './calls.js';
import type { Mismatch } from './compare.js';
import type { DifferentialVendor } from './profiles.js';
import type { RawResponse } from './raw-http.js';

export interface ListedDifference {
  kind: string;
  reason: string;
}

interface Pair {
  call: Call;
  ours: RawResponse;
  theirs: RawResponse;
  mismatches: Mismatch[];
}

interface Entry extends ListedDifference {
  applies(pair: Pair): boolean;
}

const text = (response: RawResponse) => response.body.toString('latin1');
const only = (pair: Pair, ...aspects: string[]) => pair.mismatches.every((m) => aspects.includes(m.aspect));
const serverError = (response: RawResponse) => response.status === 500 && text(response) === 'Internal Server Error';

/** FastAPI means to answer 422 but cannot write the body: its JSONResponse fails, a 500. */
const UNWRITABLE_ECHO: Entry = {
  kind: 'FastAPI cannot write the 422 it means (500)',
  reason:
    'pydantic echoes the input, and Starlette’s JSONResponse writes it with json.dumps(allow_nan=False) and then UTF-8: NaN, Infinity and numbers beyond a double (`1E400`) raise ValueError, a lone surrogate raises UnicodeEncodeError, and bytes that are neither JSON nor UTF-8 fail bytes.decode() — each a 500 "Internal Server Error" in text/plain. keyforge never answers 500 to bad input: it sends the 422 (NaN and the infinities echoed as null, the surrogate escaped), or 400 "There was an error parsing the body" for the undecodable bytes.',
  applies: ({ ours, theirs }) =>
    serverError(theirs) &&
    (ours.status === 422 || (ours.status === 400 && text(ours) === '{"detail":"There was an error parsing the body"}')),
};

const BODY_LIMIT: Entry = {
  kind: 'a body over keyforge’s --body-limit',
  reason:
    'keyforge refuses a body over --body-limit (1 MiB by default) with 413 before anything else; uvicorn and FastAPI read a body of any size.',
  applies: ({ ours }) => ours.status === 413 && text(ours) === '{"detail":"Request Entity Too Large"}',
};

const TRAILING_COMMA: Entry = {
  kind: 'a trailing comma, worded by CPython 3.13',
  reason:
    'keyforge’s JSON errors are CPython 3.13’s, which says "Illegal trailing comma before end of object/array" at the comma; the reference runs on CPython 3.11 (the only Python this machine’s pydantic-core wheels fit), which says "Expecting property name enclosed in double quotes" or "Expecting value" one character later, at the bracket.',
  applies: (pair) =>
    only(pair, 'body') && pair.ours.status === 422 && text(pair.ours).includes('Illegal trailing comma before end of'),
};

const FASTAPI: readonly Entry[] = [UNWRITABLE_ECHO, BODY_LIMIT, TRAILING_COMMA];

const LISTED: Record<DifferentialVendor, readonly Entry[]> = {
  baseten: FASTAPI,
  imtegrate: FASTAPI,
  basic: [],
};

/** The listed difference a differing answer pair is, if it is one. */
export function explain(
  vendor: DifferentialVendor,
  call: Call,
  ours: RawResponse,
  theirs: RawResponse,
  mismatches: Mismatch[],
): ListedDifference | undefined {
  return LISTED[vendor].find((entry) => entry.applies({ call, ours, theirs, mismatches }));
}

/** Every listed difference of a vendor, for its page in docs/vendors/. */
export const listedDifferences = (vendor: DifferentialVendor): readonly ListedDifference[] => LISTED[vendor];
