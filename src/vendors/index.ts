// Every vendor dialect keyforge serves, in banner order.
import { baseten } from './baseten/index.js';
import type { VendorDialect, VendorName } from './dialect.js';

export const DIALECTS: readonly VendorDialect[] = [baseten];

export function dialectNamed(name: string): VendorDialect | undefined {
  return DIALECTS.find((d) => d.name === (name as VendorName));
}
