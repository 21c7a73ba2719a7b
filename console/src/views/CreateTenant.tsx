// Creates a tenant (or issues an existing one another root credential) and shows the exact
// request that creates a key as it — the one place the page shows a secret, as the admin API
// answers it once.
import { useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import { shellQuote } from '../curl.js';
import type { CreatedTenant, ReadyRequest } from '../types.js';
import { CopyButton } from './CopyButton.js';
import { VendorSelect } from './VendorSelect.js';

export function CreateTenant({ api, vendors, onCreated }: { api: AdminApi; vendors: string[]; onCreated(): void }) {
  const [vendor, setVendor] = useState('');
  const [tenant, setTenant] = useState('');
  const [created, setCreated] = useState<CreatedTenant | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = vendor || vendors[0] || '';

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setCreated(await api.createTenant(chosen, tenant.trim() || undefined));
      onCreated();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const curl = created && readyCurl(created.request);
  return (
    <div class="card create-tenant">
      <form class="inline" onSubmit={submit}>
        <h2>New tenant</h2>
        <VendorSelect name="tenant-vendor" value={chosen} vendors={vendors} onChange={setVendor} />
        <label>
          Tenant
          <input
            name="tenant-name"
            placeholder="generated when empty"
            value={tenant}
            onInput={(e) => setTenant(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={chosen === ''}>
          Create
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {created && curl && (
        <div class="ready-request">
          <div class="section-head">
            <h3>
              Create a key as {created.vendor} tenant <span class="tenant">{created.tenant}</span>
              {created.project && (
                <>
                  {' '}
                  (project <span class="project-id">{created.project}</span>)
                </>
              )}
            </h3>
            <CopyButton text={curl} label="Copy request" />
          </div>
          <p class="note">The credential in it is shown this once; keyforge stores only its hash.</p>
          <pre>{curl}</pre>
        </div>
      )}
    </div>
  );
}

function readyCurl(request: ReadyRequest): string {
  const parts = [`curl -sS -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined)
    parts.push(`-d ${shellQuote(typeof request.body === 'string' ? request.body : JSON.stringify(request.body))}`);
  return parts.join(' \\\n  ');
}
