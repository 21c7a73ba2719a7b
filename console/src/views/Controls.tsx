// Emulator controls: the test clock, faults (what is injected, how often it fired) and resets.
import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import type { FaultInput } from '../types.js';
import { Clock } from './Clock.js';
import { Reset } from './Reset.js';
import type { ClockHandle } from './useClock.js';
import { usePolling } from './usePolling.js';
import { VendorSelect } from './VendorSelect.js';

export function Controls({
  api,
  vendors,
  clock,
  onReset,
}: {
  api: AdminApi;
  vendors: string[];
  clock: ClockHandle;
  onReset(vendor?: string): void;
}) {
  const load = useCallback(() => api.faults(), [api]);
  const { value: faults, error, reload } = usePolling(load, 1000);
  const [failure, setFailure] = useState<string | null>(null);
  const act = (work: Promise<unknown>) =>
    work.then(
      () => {
        setFailure(null);
        reload();
      },
      (err: Error) => setFailure(err.message),
    );

  return (
    <section class="controls">
      <Clock api={api} handle={clock} />
      <div class="card">
        <h2>Faults</h2>
        <p class="note">
          A fault answers a vendor’s calls (optionally only under a path) with a status in the vendor’s error shape
          and/or added latency, before auth and validation; one that names a tenant fires only for that tenant’s calls,
          after auth.
        </p>
        <FaultForm vendors={vendors} onAdd={(fault) => act(api.addFault(fault))} />
        {(error ?? failure) && (
          <p class="error" role="alert">
            {error ?? failure}
          </p>
        )}
        <div class="table-wrap">
          <table class="faults">
            <thead>
              <tr>
                <th>id</th>
                <th>vendor</th>
                <th>tenant</th>
                <th>path</th>
                <th>status</th>
                <th>latency</th>
                <th>probability</th>
                <th>hits</th>
                <th>remaining</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(faults ?? []).map((f) => (
                <tr key={f.id} class="fault" data-fault-id={f.id}>
                  <td>{f.id}</td>
                  <td>{f.vendor}</td>
                  <td class="tenant">{f.tenant ?? 'any'}</td>
                  <td>{f.path ?? 'any'}</td>
                  <td>{f.status ?? '—'}</td>
                  <td>{f.latencyMs === undefined ? '—' : `${f.latencyMs} ms`}</td>
                  <td>{f.probability}</td>
                  <td class="hits">{f.hits}</td>
                  <td class="remaining">{f.remaining ?? '∞'}</td>
                  <td>
                    <button class="small" onClick={() => act(api.clearFaults({ id: f.id }))}>
                      Clear
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {faults !== null && faults.length === 0 && <p class="empty">No faults in force.</p>}
        {faults !== null && faults.length > 0 && (
          <button class="danger" onClick={() => act(api.clearFaults())}>
            Clear all faults
          </button>
        )}
      </div>
      <Reset
        api={api}
        vendors={vendors}
        onReset={(vendor) => {
          onReset(vendor);
          reload();
          if (vendor === undefined) void api.clock().then(clock.update, () => undefined); // a global reset returns to real time
        }}
      />
    </section>
  );
}

function FaultForm({ vendors, onAdd }: { vendors: string[]; onAdd(fault: FaultInput): void }) {
  const [fields, setFields] = useState({
    vendor: '',
    tenant: '',
    path: '',
    status: '503',
    latencyMs: '',
    probability: '1',
    count: '',
  });
  const set = (name: keyof typeof fields) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setFields({ ...fields, [name]: e.currentTarget.value });
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const submit = (event: Event) => {
    event.preventDefault();
    const fault: FaultInput = { vendor: fields.vendor || vendors[0] || '' };
    if (fields.tenant.trim() !== '') fault.tenant = fields.tenant.trim();
    if (fields.path.trim() !== '') fault.path = fields.path.trim();
    for (const name of ['status', 'latencyMs', 'probability', 'count'] as const) {
      const value = number(fields[name]);
      if (value !== undefined) fault[name] = value;
    }
    onAdd(fault);
  };
  return (
    <form class="inline fault-form" onSubmit={submit}>
      <VendorSelect
        name="fault-vendor"
        value={fields.vendor || vendors[0] || ''}
        vendors={vendors}
        onChange={(vendor) => setFields({ ...fields, vendor })}
      />
      <label>
        Tenant
        <input name="fault-tenant" placeholder="any" value={fields.tenant} onInput={set('tenant')} />
      </label>
      <label>
        Path prefix
        <input name="fault-path" placeholder="any" value={fields.path} onInput={set('path')} />
      </label>
      <label>
        Status
        <input
          name="fault-status"
          type="number"
          min="400"
          max="599"
          placeholder="none"
          value={fields.status}
          onInput={set('status')}
        />
      </label>
      <label>
        Latency ms
        <input
          name="fault-latency"
          type="number"
          min="0"
          max="60000"
          placeholder="none"
          value={fields.latencyMs}
          onInput={set('latencyMs')}
        />
      </label>
      <label>
        Probability
        <input
          name="fault-probability"
          type="number"
          min="0"
          max="1"
          step="0.05"
          value={fields.probability}
          onInput={set('probability')}
        />
      </label>
      <label>
        Count
        <input
          name="fault-count"
          type="number"
          min="1"
          placeholder="never clears"
          value={fields.count}
          onInput={set('count')}
        />
      </label>
      <button type="submit">Add fault</button>
    </form>
  );
}
