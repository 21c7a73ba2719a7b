// Keys and tenants: every tenant of every vendor with its keys — never a secret — and their
// state; revoke a key; create a tenant and get the ready request that creates a key as it.
// Reloaded shortly after each vendor call the journal sees (calls create keys and use them),
// and every few seconds (expiry, other instances' resets).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import { dateTime } from '../format.js';
import type { KeyView } from '../types.js';
import { CreateTenant } from './CreateTenant.js';
import { usePolling } from './usePolling.js';

export function Keys({ api, vendors, latestCall }: { api: AdminApi; vendors: string[]; latestCall: number | undefined }) {
  const load = useCallback(() => api.keys(), [api]);
  const { value: keys, error, reload } = usePolling(load, 5000);
  useEffect(() => {
    const soon = setTimeout(reload, 200); // once per burst of calls
    return () => clearTimeout(soon);
  }, [latestCall]);
  const [vendor, setVendor] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  const groups = useMemo(() => byTenant((keys ?? []).filter((k) => vendor === '' || k.vendor === vendor)), [keys, vendor]);
  const revoke = (key: KeyView) =>
    api.revoke(key.id).then(
      () => reload(),
      (err: Error) => setFailure(err.message),
    );

  return (
    <section class="keys">
      <CreateTenant api={api} vendors={vendors} onCreated={reload} />
      <div class="filters">
        <label>
          Vendor
          <select name="vendor" value={vendor} onChange={(e) => setVendor(e.currentTarget.value)}>
            <option value="">all</option>
            {vendors.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        {/* Nothing loaded is not "0 keys": the count shows only what was read. */}
        {keys !== null && (
          <span class="count">
            {groups.length} tenants, {groups.reduce((n, g) => n + g.keys.length, 0)} keys{error === null ? '' : ', as last loaded'}
          </span>
        )}
      </div>
      {(error ?? failure) && <p class="error" role="alert">{error ?? failure}</p>}
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
            <tbody key={`${group.vendor}/${group.tenant}`} class="tenant-group" data-vendor={group.vendor} data-tenant={group.tenant}>
              <tr class="tenant-row">
                <th colSpan={10}>
                  <span class="vendor">{group.vendor}</span> <span class="tenant">{group.tenant}</span>
                  {group.projects.length > 0 && <span class="project">project {group.projects.join(', ')}</span>}
                </th>
              </tr>
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
                  <td>
                    {key.state === 'active' && (
                      <button class="small danger" onClick={() => revoke(key)}>
                        Revoke
                      </button>
                    )}
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
