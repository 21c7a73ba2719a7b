// The journal's reset epochs. A reset wipes the journal (journal.ts); entries an instance served
// before it heard of the reset must not land after the wipe. So every reset counts an epoch up
// (one for all vendors, one per vendor, in `settings`), each entry carries the epochs its
// instance knew when it served the call, and the insert keeps only entries of the current
// epochs. A tenant reset or delete ends that tenant's own epoch
// (`journal.tenant-epoch.<vendor>/<tenant>`, looked up per entry by key). Here: the epochs'
// keys, an instance's copy of them, and the wipes that end them; journal.ts writes and reads.
import { and, eq, inArray, like, or, sql } from 'drizzle-orm';
import { LOCKS, type PostgresDatabase } from './client.js';
import { journal, settings } from './schema.js';
import { toPg } from './text.js';

/** The settings key of the epoch of all vendors; a vendor's own is this, a dot and its name. */
export const EPOCH = 'journal.epoch';
const vendorEpoch = (vendor: string) => `${EPOCH}.${vendor}`;
/** What the settings keys of tenants' epochs start with. */
export const TENANT_EPOCH = 'journal.tenant-epoch.';
const tenantEpoch = (vendor: string, tenant: string) => `${TENANT_EPOCH}${vendor}/${toPg(tenant)}`;

/** The epochs known when a call was served: all vendors', its vendor's and its tenant's. */
export interface EntryEpochs {
  epoch: number;
  vendorEpoch: number;
  tenantEpoch: number;
}

/** An instance's copy of the epochs, reloaded when it hears of a reset. */
export class KnownEpochs {
  private epochs = new Map<string, number>();
  /** How many of `epochs` are tenants' (none: no lookup per entry). */
  private tenantEpochs = 0;

  /** The epochs a call of this vendor's and tenant's served now carries. */
  of(vendor: string, tenant: string | null): EntryEpochs {
    const ofTenant =
      tenant === null || this.tenantEpochs === 0 ? 0 : (this.epochs.get(tenantEpoch(vendor, tenant)) ?? 0);
    return {
      epoch: this.epochs.get(EPOCH) ?? 0,
      vendorEpoch: this.epochs.get(vendorEpoch(vendor)) ?? 0,
      tenantEpoch: ofTenant,
    };
  }

  /** Reads the reset epochs (tenants' too) as the database has them. */
  async load(db: PostgresDatabase): Promise<void> {
    const rows = await db
      .select()
      .from(settings)
      .where(or(like(settings.key, `${EPOCH}%`), like(settings.key, `${TENANT_EPOCH}%`)));
    this.epochs = new Map(rows.map((row) => [row.key, Number(row.value)]));
    this.tenantEpochs = rows.filter((row) => row.key.startsWith(TENANT_EPOCH)).length;
  }
}

/** Inside a reset's transaction: deletes one vendor's journal entries or all, and ends their epoch. */
export async function wipeJournal(tx: PostgresDatabase, vendor: string | undefined): Promise<void> {
  await holdWriters(tx);
  await (vendor === undefined ? tx.delete(journal) : tx.delete(journal).where(inArray(journal.vendor, [vendor])));
  await tx
    .insert(settings)
    .values({ key: vendor === undefined ? EPOCH : vendorEpoch(vendor), value: '1' })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`(${settings.value}::int + 1)::text` } });
}

/** Inside a tenant wipe's transaction: deletes the tenant's journal entries and ends its epoch; answers how many went. */
export async function wipeTenantJournal(tx: PostgresDatabase, vendor: string, tenant: string): Promise<number> {
  await holdWriters(tx);
  const gone = await tx
    .delete(journal)
    .where(and(eq(journal.vendor, vendor), eq(journal.tenant, toPg(tenant))))
    .returning({ id: journal.id });
  await tx
    .insert(settings)
    .values({ key: tenantEpoch(vendor, tenant), value: '1' })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`(${settings.value}::int + 1)::text` } });
  return gone.length;
}

/**
 * Takes the journal writers' lock for the rest of a wipe's transaction: a batch being written
 * when the wipe begins commits first (and is wiped), and one that starts later reads the new
 * epoch (and is dropped). Without it, an insert whose statement began before the wipe committed
 * read the old epoch and landed after the wipe.
 */
async function holdWriters(tx: PostgresDatabase): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.journal[0]}, ${LOCKS.journal[1]})`);
}
