import type { ChildOrderOwner, ChildOwnerLookup } from '../../ports/child-orders.js';

/**
 * Maps a child order's ClOrdID to its parent, account and side: remembered when the child is sent,
 * looked up in the database for children sent before a restart. Entries go once the child is final.
 */
export class ChildOrderDirectory {
  private readonly owners = new Map<string, ChildOrderOwner>();

  constructor(private readonly lookup: ChildOwnerLookup) {}

  remember(childOrderId: string, owner: ChildOrderOwner): void {
    this.owners.set(childOrderId, owner);
  }

  forget(childOrderId: string): void {
    this.owners.delete(childOrderId);
  }

  async find(childOrderId: string): Promise<ChildOrderOwner | undefined> {
    const known = this.owners.get(childOrderId);
    if (known) return known;
    const found = (await this.lookup([childOrderId])).get(childOrderId);
    if (found) this.owners.set(childOrderId, found);
    return found;
  }
}
