// Reset, all vendors or one, behind a confirmation: it wipes keys, tenants, journal entries and
// faults, then re-applies the demo and seed credentials.
import { useState } from 'preact/hooks';
import type { AdminApi } from '../api.js';
import { VendorSelect } from './VendorSelect.js';

export function Reset({ api, vendors, onReset }: { api: AdminApi; vendors: string[]; onReset(vendor?: string): void }) {
  const [vendor, setVendor] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const what = vendor === '' ? 'every vendor' : vendor;

  const reset = async () => {
    setConfirming(false);
    try {
      await api.reset(vendor || undefined);
      setOutcome(`Reset ${what}: demo and seed credentials are back.`);
      onReset(vendor || undefined);
    } catch (err) {
      setOutcome(`Reset failed: ${(err as Error).message}`);
    }
  };

  return (
    <div class="card reset">
      <h2>Reset</h2>
      <div class="inline">
        <VendorSelect
          name="reset-vendor"
          value={vendor}
          vendors={vendors}
          all="all vendors"
          onChange={(chosen) => (setVendor(chosen), setConfirming(false))}
        />
        <button class="danger" onClick={() => (setConfirming(true), setOutcome(null))}>
          Reset…
        </button>
      </div>
      {confirming && (
        <div class="confirm" role="alertdialog" aria-label="confirm reset">
          <p>
            Wipe all keys, tenants, journal entries and faults of <strong>{what}</strong>, then re-apply the demo and
            seed credentials
            {vendor === '' && ', and return the test clock to real time'}?
          </p>
          <button class="danger" onClick={reset}>
            Yes, reset {what}
          </button>
          <button onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
      {outcome && (
        <p class="outcome" role="status">
          {outcome}
        </p>
      )}
    </div>
  );
}
