// The admin API, called the way any client calls it: same endpoints, same Bearer token check.
import type {
  ClockState,
  CreatedTenant,
  Fault,
  FaultInput,
  Health,
  JournalEntry,
  KeyView,
  TenantWipe,
} from './types.js';

/** The token was refused: the page signs out. */
export class Unauthorized extends Error {}

export class AdminApi {
  constructor(
    readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  /** Health, a 503 included: it says the database does not answer, and why. */
  async health(): Promise<Health> {
    const response = await fetch('/_keyforge/health', { cache: 'no-store' });
    if (!response.ok && response.status !== 503) throw new Error(`GET /_keyforge/health answered ${response.status}`);
    return { ...((await response.json()) as Omit<Health, 'databaseDown'>), databaseDown: response.status === 503 };
  }

  async requests(limit: number): Promise<JournalEntry[]> {
    return (await this.call<{ requests: JournalEntry[] }>('GET', `/_keyforge/requests?limit=${limit}`)).requests;
  }

  async keys(): Promise<KeyView[]> {
    return (await this.call<{ keys: KeyView[] }>('GET', '/_keyforge/keys')).keys;
  }

  revoke(id: string): Promise<KeyView> {
    return this.call('POST', `/_keyforge/keys/${encodeURIComponent(id)}/revoke`);
  }

  createTenant(vendor: string, tenant?: string): Promise<CreatedTenant> {
    return this.call('POST', '/_keyforge/tenants', tenant ? { vendor, tenant } : { vendor });
  }

  async faults(): Promise<Fault[]> {
    return (await this.call<{ faults: Fault[] }>('GET', '/_keyforge/faults')).faults;
  }

  addFault(fault: FaultInput): Promise<Fault> {
    return this.call('PUT', '/_keyforge/faults', fault);
  }

  clearFaults(filter: { id?: number } = {}): Promise<{ cleared: number }> {
    return this.call('DELETE', filter.id === undefined ? '/_keyforge/faults' : `/_keyforge/faults?id=${filter.id}`);
  }

  /** Its answer's body is not relied on (it changes between versions). */
  async reset(vendor?: string): Promise<void> {
    await this.call('POST', vendor ? `/_keyforge/reset?vendor=${encodeURIComponent(vendor)}` : '/_keyforge/reset');
  }

  clock(): Promise<ClockState> {
    return this.call('GET', '/_keyforge/clock');
  }

  /** `{advance: 'PT2H'}` or `{at: '2030-01-01T00:00:00Z'}`. */
  moveClock(change: { advance: string } | { at: string }): Promise<ClockState> {
    return this.call('PUT', '/_keyforge/clock', change);
  }

  resetClock(): Promise<ClockState> {
    return this.call('DELETE', '/_keyforge/clock');
  }

  async resetTenant(vendor: string, tenant: string): Promise<TenantWipe> {
    return (
      await this.call<{ removed: TenantWipe }>(
        'POST',
        `/_keyforge/reset?vendor=${encodeURIComponent(vendor)}&tenant=${encodeURIComponent(tenant)}`,
      )
    ).removed;
  }

  async deleteTenant(vendor: string, tenant: string): Promise<TenantWipe> {
    return (
      await this.call<{ removed: TenantWipe }>(
        'DELETE',
        `/_keyforge/tenants/${encodeURIComponent(vendor)}/${encodeURIComponent(tenant)}`,
      )
    ).removed;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json().catch(() => null)) as { message?: string } | null;
    if (response.status === 401) {
      this.onUnauthorized();
      throw new Unauthorized(answer?.message ?? 'the admin token was refused');
    }
    if (!response.ok) throw new Error(answer?.message ?? `${method} ${path} answered ${response.status}`);
    return answer as T;
  }
}
