// Compiled by `npm run typecheck` (no test runs it): each public type in src/public-types.ts,
// written out so that the package's .d.ts imports nothing internal, is the internal type it
// stands for. A field added to one and not the other fails here.
import type { JournalEntry } from '../../src/pipeline/journal.js';
import type { SeedFile, TenantCredential } from '../../src/bootstrap/credentials.js';
import type { ConfigInput } from '../../src/config.js';
import type * as Public from '../../src/public-types.js';
import type { ExampleRequest, VendorName } from '../../src/vendors/dialect.js';

/** true when A and B are the same type (each assignable to the other, property by property). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const samePublicTypes: [
  Same<Public.VendorName, VendorName>,
  Same<Public.SeedFile, SeedFile>,
  Same<Public.ExampleRequest, ExampleRequest>,
  Same<Public.TenantCredential, TenantCredential>,
  Same<Public.JournalEntry, JournalEntry>,
  Same<NonNullable<Public.StartOptions['logLevel']>, NonNullable<ConfigInput['logLevel']>>,
  Same<NonNullable<Public.StartOptions['hashProfile']>, NonNullable<ConfigInput['hashProfile']>>,
  Same<NonNullable<Public.StartOptions['auth']>, NonNullable<ConfigInput['auth']>>,
] = [true, true, true, true, true, true, true, true];
