// SQLite checkpoints run on a worker thread, never inside a commit: after writes, the WAL is
// copied into the database by the time a second connection looks, and the WAL is bounded.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { expect, it, onTestFinished } from 'vitest';
import { BACKSTOP_PAGES } from '../../src/db/sqlite/checkpointer.js';
import { openStorage } from '../../src/db/open.js';
import { testTempDir } from '../support/test-run.js';

/**
 * Frames in the WAL, and how many of them a checkpoint has copied into the database, read from
 * the WAL index (the -shm file: mxFrame at byte 16 of its header, nBackfill at byte 96, host
 * byte order) without a connection: a connection's own checkpoint attempt would take the lock
 * the worker's checkpoint needs, and a read-only one fails while there is something to copy.
 */
function walProgress(path: string): { frames: number; copied: number } {
  const index = readFileSync(`${path}-shm`).subarray(0, 100);
  return { frames: index.readUInt32LE(16), copied: index.readUInt32LE(96) };
}

it('copies committed pages into the database file from its worker, and the WAL stays bounded', async () => {
  const dir = testTempDir('keyforge-checkpoint-');
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'keys.db');
  const storage = await openStorage({ db: path, poolSize: 1, journalSize: 10, instance: 'test' });
  try {
    const tenant = await storage.keys.ensureTenant({
      id: randomUUID(),
      vendor: 'baseten',
      name: 'acme',
      createdAt: new Date(),
    });
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          storage.keys.insertKey({
            id: randomUUID(),
            vendor: 'baseten',
            tenantId: tenant.id,
            projectId: null,
            name: `k${batch}-${i}`,
            kind: 'PERSONAL',
            scopes: null,
            lookupId: randomUUID().slice(0, 8),
            hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
            createdBy: 'test',
            createdAt: new Date(),
            expiresAt: null,
            lastUsedAt: null,
            revokedAt: null,
            uniqueName: null,
            root: false,
          }),
        ),
      );
    }
    // A checkpoint follows within 200 ms of a write.
    const progress = () => {
      const { frames, copied } = walProgress(path);
      return frames > 0 && copied === frames ? 'all copied' : `${copied} of ${frames} frames copied`;
    };
    await expect.poll(progress, { timeout: 10_000, interval: 50 }).toBe('all copied');
    const reader = new Database(path, { readonly: true });
    try {
      // [busy, frames in the WAL, frames already copied into the database]
      const [status] = reader.pragma('wal_checkpoint(PASSIVE)') as Array<{
        busy: number;
        log: number;
        checkpointed: number;
      }>;
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
