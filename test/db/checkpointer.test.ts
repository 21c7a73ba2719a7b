// SQLite checkpoints run on a worker thread, never inside a commit: after writes, the WAL is
// copied into the database by the time a second connection looks, and the WAL is bounded.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { BACKSTOP_PAGES } from '../../src/db/sqlite/checkpointer.js';
import { openStorage } from '../../src/db/open.js';

it('copies committed pages into the database file from its worker, and the WAL stays bounded', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'keyforge-checkpoint-')), 'keys.db');
  const storage = await openStorage({ db: path, poolSize: 1, journalSize: 10, instance: 'test' });
  try {
    const tenant = await storage.keys.ensureTenant({ id: randomUUID(), vendor: 'baseten', name: 'acme', createdAt: new Date() });
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          storage.keys.insertKey({
            id: randomUUID(), vendor: 'baseten', tenantId: tenant.id, projectId: null, name: `k${batch}-${i}`, kind: 'PERSONAL', scopes: null,
            lookupId: randomUUID().slice(0, 8), hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA', createdBy: 'test', createdAt: new Date(),
            expiresAt: null, lastUsedAt: null, revokedAt: null, uniqueName: null, root: false,
          }),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 600)); // a checkpoint every 200 ms while there are writes
    const reader = new Database(path, { readonly: true });
    try {
      // [busy, frames in the WAL, frames already copied into the database]
      const [status] = reader.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      expect(status!.log).toBeGreaterThan(0);
      expect(status!.checkpointed).toBe(status!.log);
      expect((reader.prepare('select count(*) as n from api_keys').get() as { n: number }).n).toBe(1000);
    } finally {
      reader.close();
    }
    expect(statSync(`${path}-wal`).size).toBeLessThan((BACKSTOP_PAGES + 100) * 4096);
  } finally {
    await storage.close();
  }
});
