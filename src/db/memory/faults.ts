// Faults kept by one process: the single-process engine's FaultRecords.
import type { FaultFilter, FaultRecord, FaultRecords, FaultSpec } from '../shared-state.js';

export class LocalFaults implements FaultRecords {
  private faults: FaultRecord[] = [];
  private nextId = 1;

  current(): readonly FaultRecord[] {
    return this.faults;
  }

  async add(spec: FaultSpec): Promise<FaultRecord> {
    const fault: FaultRecord = { ...spec, id: this.nextId++, hits: 0, remaining: spec.count ?? null };
    this.faults = [...this.faults, fault];
    return { ...fault };
  }

  async list(): Promise<FaultRecord[]> {
    return this.faults.map((f) => ({ ...f }));
  }

  async clear(filter: FaultFilter): Promise<number> {
    return this.clearNow(filter);
  }

  /** Synchronous, for a reset's transaction. */
  clearNow(filter: FaultFilter): number {
    const before = this.faults.length;
    const matches = (f: FaultRecord) =>
      (filter.vendor === undefined || f.vendor === filter.vendor) &&
      (filter.tenant === undefined || f.tenant === filter.tenant) &&
      (filter.id === undefined || f.id === filter.id);
    this.faults = this.faults.filter((f) => !matches(f));
    return before - this.faults.length;
  }

  async hit(id: number): Promise<FaultRecord | null> {
    const fault = this.faults.find((f) => f.id === id);
    if (!fault) return null;
    fault.hits++;
    if (fault.remaining !== null && --fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }
}
