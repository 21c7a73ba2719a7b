// Events of one process: raised and heard here, and never missed.
import type { ClusterEvent, ClusterEvents } from '../shared-state.js';

export class LocalEvents implements ClusterEvents {
  readonly trustworthy = true;
  private readonly handlers: Array<(event: ClusterEvent) => void> = [];

  subscribe(handler: (event: ClusterEvent) => void): void {
    this.handlers.push(handler);
  }

  /** No other instance resets here. */
  guard(): void {}

  raise(event: ClusterEvent): void {
    for (const handler of this.handlers) handler(event);
  }
}
