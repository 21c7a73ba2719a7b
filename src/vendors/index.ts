// Every vendor dialect keyforge serves, in banner order.
import { basic } from './basic/index.js';
import { baseten } from './baseten/index.js';
import { bytebeam } from './bytebeam/index.js';
import { peaka } from './peaka/index.js';
import { imtegrate } from './imtegrate/index.js';
import type { VendorDialect, VendorName } from './dialect.js';

export const DIALECTS: readonly VendorDialect[] = [basic, baseten, bytebeam, peaka, imtegrate];

/** Headers that may carry a secret: every dialect's credential header and the usual ones. */
export const SECRET_HEADERS: readonly string[] = [
  ...new Set([
    'authorization',
    'proxy-authorization',
    'cookie',
    'x-api-key',
    ...DIALECTS.map((d) => d.credentialHeader),
  ]),
];

export function dialectNamed(name: string): VendorDialect | undefined {
  return DIALECTS.find((d) => d.name === (name as VendorName));
}
