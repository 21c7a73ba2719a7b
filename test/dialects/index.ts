// Every vendor's test description by vendor name: a new vendor's goes in
// test/dialects/<vendor>.ts and is listed here (the type makes the list complete).
import type { VendorName } from '../../src/vendors/dialect.js';
import type { DialectTestDescription } from './description.js';
import { description as basic } from './basic.js';
import { description as baseten } from './baseten.js';
import { description as bytebeam } from './bytebeam.js';
import { description as peaka } from './peaka.js';
import { description as imtegrate } from './imtegrate.js';

export type { DialectTestDescription, Json, Tenant } from './description.js';

export const DESCRIPTIONS: { readonly [V in VendorName]: DialectTestDescription<V> } = {
  basic,
  baseten,
  bytebeam,
  peaka,
  imtegrate,
};
