// Keys and tenants: every tenant of every vendor with its keys — never a secret — and their
// state; revoke a key, reset or delete one tenant (each after a confirmation); create a tenant
// and get the ready request that creates a key as it.
// Reloaded shortly after each vendor call the journal sees (calls create keys and use them),
// and every few seconds (expiry, other instances' resets).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import { dateTime } from '../format.js';
import type { KeyView, TenantWipe } from '../types.js';
import { CreateTenant } from './CreateTenant.js';
import { usePolling } from './usePolling.js';
import { VendorSelect } from './VendorSelect.js';

export function Keys({
  api,
  vendors,
  latestCall,
}: {
  api: AdminApi;
  vendors: string[];
  latestCall: number | undefined;
}) {
  const load = useCallback(() => api.keys(), [api]);
  const { value: keys, error, reload } = usePolling(load, 5000);
  useEffect(() => {
    const soon = setTimeout(reload, 200); // once per burst of calls
    return () => clearTimeout(soon);
  }, [latestCall]);
  const [vendor, setVendor] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  /** What waits for a confirmation: a key's revocation, or a tenant's reset or delete. */
  const [confirming, setConfirming] = useState<Confirming | null>(null);

  const groups = useMemo(
    () => byTenant((keys ?? []).filter((k) => vendor === '' || k.vendor === vendor)),
    [keys, vendor],
  );
  const act = <T,>(work: Promise<T>, said: (answer: T) => string) => {
    setConfirming(null);
    work.then(
      (answer) => {
        setFailure(null);
        setOutcome(said(answer));
        reload();
      },
      (err: Error) => setFailure(err.message),
    );
  };
  const revoke = (key: KeyView) => act(api.revoke(key.id), () => `Revoked key ${key.id}.`);
  const wipe = (kind: 'reset' | 'delete', group: TenantGroup) =>
    act(
      kind === 'reset' ? api.resetTenant(group.vendor, group.tenant) : api.deleteTenant(group.vendor, group.tenant),
      (removed) =>
        `${kind === 'reset' ? 'Reset' : 'Deleted'} ${group.vendor} tenant ${group.tenant}: ${removedText(removed)}.`,
    );
  const isConfirming = (c: Confirming) => confirming !== null && JSON.stringify(confirming) === JSON.stringify(c);

  return (
    <section class="keys">
      <CreateTenant api={api} vendors={vendors} onCreated={reload} />
      <div class="filters">
        <VendorSelect name="vendor" value={vendor} vendors={vendors} all="all" onChange={setVendor} />
        {/* Nothing loaded is not "0 keys": the count shows only what was read. */}
        {keys !== null && (
          <span class="count">
            {groups.length} tenants, {groups.reduce((n, g) => n + g.keys.length, 0)} keys
            {error === null ? '' : ', as last loaded'}
          </span>
        )}
      </div>
      {(error ?? failure) && (
        <p class="error" role="alert">
          {error ?? failure}
        </p>
      )}
      {outcome && (
        <p class="outcome" role="status">
          {outcome}
        </p>
      )}
      <div class="table-wrap">
        <table class="key-table">
          <thead>
            <tr>
              <th>name</th>
              <th>kind / role</th>
              <th>scopes</th>
              <th>state</th>
              <th>created</th>
              <th>expires</th>
              <th>last used</th>
              <th>prefix</th>
              <th>key id</th>
              <th />
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody
              key={`${group.vendor}/${group.tenant}`}
              class="tenant-group"
              data-vendor={group.vendor}
              data-tenant={group.tenant}
            >
              <tr class="tenant-row">
                <th colSpan={10}>
                  <span class="vendor">{group.vendor}</span> <span class="tenant">{group.tenant}</span>
                  {group.projects.length > 0 && <span class="project">project {group.projects.join(', ')}</span>}
                  <span class="tenant-actions">
                    <button
                      class="small"
                      onClick={() => setConfirming({ kind: 'reset', vendor: group.vendor, tenant: group.tenant })}
                    >
                      Reset tenant…
                    </button>
                    <button
                      class="small danger"
                      onClick={() => setConfirming({ kind: 'delete', vendor: group.vendor, tenant: group.tenant })}
                    >
                      Delete tenant…
                    </button>
                  </span>
                </th>
              </tr>
              {(['reset', 'delete'] as const).map(
                (kind) =>
                  isConfirming({ kind, vendor: group.vendor, tenant: group.tenant }) && (
                    <tr key={kind} class="confirm-row">
                      <td colSpan={10}>
                        <div class="confirm" role="alertdialog" aria-label={`confirm tenant ${kind}`}>
                          <p>
                            {kind === 'reset' ? (
                              <>
                                Remove every key <strong>{group.tenant}</strong>’s credentials issued, its journal
                                entries and its faults? The tenant and its root credentials stay.
                              </>
                            ) : (
                              <>
                                Delete <strong>{group.tenant}</strong> with its projects, root credentials, keys,
                                journal entries and faults? Its credentials are refused at once.
                              </>
                            )}
                          </p>
                          <button class="danger" onClick={() => wipe(kind, group)}>
                            Yes, {kind} {group.tenant}
                          </button>
                          <button onClick={() => setConfirming(null)}>Cancel</button>
                        </div>
                      </td>
                    </tr>
                  ),
              )}
              {group.keys.map((key) => (
                <tr key={key.id} class={`key state-${key.state}`} data-key-id={key.id}>
                  <td class="name">{key.name ?? '—'}</td>
                  <td>{key.kind}</td>
                  <td>{key.scopes?.join(', ') ?? '—'}</td>
                  <td>
                    <span class={`badge ${key.state}`}>{key.state}</span>
                  </td>
                  <td>{dateTime(key.createdAt)}</td>
                  <td>{dateTime(key.expiresAt)}</td>
                  <td>{dateTime(key.lastUsedAt)}</td>
                  <td class="mono">{key.prefix}</td>
                  <td class="mono key-id">{key.id}</td>
                  <td class="actions">
                    {key.state === 'active' &&
                      (isConfirming({ kind: 'revoke', id: key.id }) ? (
                        <span class="confirm inline-confirm" role="alertdialog" aria-label="confirm revoke">
                          Revoke? It stops working at once.
                          <button class="small danger" onClick={() => revoke(key)}>
                            Yes, revoke
                          </button>
                          <button class="small" onClick={() => setConfirming(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button class="small danger" onClick={() => setConfirming({ kind: 'revoke', id: key.id })}>
                          Revoke…
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
        {keys !== null && groups.length === 0 && <p class="empty">No keys.</p>}
      </div>
    </section>
  );
}

type Confirming = { kind: 'revoke'; id: string } | { kind: 'reset' | 'delete'; vendor: string; tenant: string };

function removedText(removed: TenantWipe): string {
  const parts = [`${removed.keys} keys`, `${removed.journalEntries} journal entries`, `${removed.faults} faults`];
  if (removed.projects > 0) parts.push(`${removed.projects} projects`);
  return `removed ${parts.join(', ')}`;
}

interface TenantGroup {
  vendor: string;
  tenant: string;
  projects: string[];
  keys: KeyView[];
}

/** Every tenant has at least its root credential, so the keys name every tenant. */
function byTenant(keys: KeyView[]): TenantGroup[] {
  const groups = new Map<string, TenantGroup>();
  for (const key of keys) {
    const id = `${key.vendor}/${key.tenant}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { vendor: key.vendor, tenant: key.tenant, projects: [], keys: [] }));
    group.keys.push(key);
    if (key.project !== null && !group.projects.includes(key.project)) group.projects.push(key.project);
  }
  return [...groups.values()].sort((a, b) => a.vendor.localeCompare(b.vendor) || a.tenant.localeCompare(b.tenant));
}
