// Numbers as a FastAPI service writes back what it was sent: json.loads makes an int of every
// integer token (any size, exact) and a float of the rest, and json.dumps writes a float as
// Python's repr — `0.0`, `1e+16`, `2e-07`, `100.0` — where JavaScript would write 0, 1e16,
// 2e-7 and 100, and an int with every digit, where a JavaScript number keeps 53 bits.
// pydantic's 422s echo the input, so their `input` needs Python's spelling.

/** A number whose Python spelling differs from JavaScript's. */
export class PythonNumber {
  constructor(
    readonly value: number,
    readonly repr: string,
  ) {}
}

/** Python's repr of a finite float: the shortest digits that round-trip, exponent form outside 1e-4 ≤ |x| < 1e16. */
export function floatRepr(value: number): string {
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // where the decimal point goes, counted from the first digit
  if (value === 0) return `${sign}0.0`;
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const exp = point - 1;
  return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * The value of a JSON number token as Python holds it: a JavaScript number where both languages
 * write it alike, else a PythonNumber. NaN and the infinities stay numbers: FastAPI cannot write
 * them back at all (json.dumps(allow_nan=False) raises, a 500).
 */
export function pythonNumber(token: string): number | PythonNumber {
  const value = Number(token);
  if (!Number.isFinite(value)) return value;
  const integer = !/[.eE]/.test(token);
  const repr = integer ? BigInt(token).toString() : floatRepr(value);
  return repr === JSON.stringify(value) ? value : new PythonNumber(value, repr);
}

/** JSON text of a value that may hold PythonNumbers, each written in its Python spelling. */
export function stringifyPython(value: unknown): string {
  let found = false;
  const marker = `\u0000py${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!(item instanceof PythonNumber)) return item;
    found = true;
    return `${marker}${item.repr}`;
  });
  if (!found) return text;
  // The marker starts with NUL, which JSON.stringify escapes inside any string a client sent.
  const escaped = JSON.stringify(marker).slice(1, -1);
  return text.replace(new RegExp(`"${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^"]*)"`, 'g'), '$1');
}
