// Resets hold the vendor calls of every instance, not only those of the instance that resets
// (docs/contract.md: "calls in flight finish first, new calls wait"). Before it wipes, a resetting instance
// announces `reset-begin`; each other instance closes its gate (src/pipeline/reset-gate.ts) and
// acknowledges once no call is in flight there; after the reset (committed or not) `reset-end`
// opens the gates again. Calls that arrive meanwhile wait, then see the state after the reset:
// so a create with credentials valid before and after never fails for a tenant wiped under it.
// A gate is never held closed for good: it opens when the end is heard, when the listening
// connection was lost (the end may have gone unheard), or after HOLD_MS.
import type { CallGate } from '../shared-state.js';
import type { BusMessage } from './bus-messages.js';

/** The longest a resetting instance waits for the others' calls in flight to finish. */
export const DRAIN_MS = 5000;
/** The longest another instance's reset keeps this gate closed, should its end go unheard. */
const HOLD_MS = 15_000;

interface Hold {
  release(): void;
  timer: NodeJS.Timeout;
}

export class ResetHolds {
  private gate: CallGate | null = null;
  private readonly holds = new Map<string, Hold>();

  constructor(bus: { on(handler: (message: BusMessage, fromHere: boolean) => void | Promise<void>): void }) {
    bus.on(async (message, fromHere) => {
      if (fromHere) return; // this instance's own reset holds its gate itself
      if (message.type === 'reset-begin') await this.hold(message.id);
      else if (message.type === 'reset-end') this.release(message.id);
      else if (message.type === 'resync') for (const id of [...this.holds.keys()]) this.release(id);
    });
  }

  guard(gate: CallGate): void {
    this.gate = gate;
  }

  /** Closes the gate for reset `id`; resolves (so the begin is acknowledged) once no call is in flight. */
  private async hold(id: string): Promise<void> {
    if (!this.gate || this.holds.has(id)) return;
    const hold: Hold = { release: () => undefined, timer: setTimeout(() => this.release(id), HOLD_MS).unref() };
    this.holds.set(id, hold);
    const release = await this.gate.close();
    if (this.holds.get(id) === hold) hold.release = release;
    else release(); // ended while calls were still finishing
  }

  private release(id: string): void {
    const hold = this.holds.get(id);
    if (!hold) return;
    this.holds.delete(id);
    clearTimeout(hold.timer);
    hold.release();
  }
}
