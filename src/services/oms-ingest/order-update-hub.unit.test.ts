import { describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import type { OrderUpdate } from '../../ports/order-updates.js';
import { OrderUpdateHub } from './order-update-hub.js';

const order = (orderId: string, accountId = 'ACC-1'): OrderSnapshot => ({ orderId, accountId, status: 'NEW', version: 1 }) as unknown as OrderSnapshot;

const ids = (updates: readonly OrderUpdate[]) => updates.map((u) => u.order.orderId);

describe('OrderUpdateHub', () => {
  it('gives each update an id and sends it to the streams of its account', () => {
    const hub = new OrderUpdateHub({ epoch: 'e1' });
    const acc1: OrderUpdate[] = [];
    const all: OrderUpdate[] = [];
    hub.subscribe('ACC-1', (u) => acc1.push(u));
    hub.subscribe(undefined, (u) => all.push(u));
    hub.publish(order('A'));
    hub.publish(order('B', 'ACC-2'));
    expect(all.map((u) => u.id)).toEqual(['e1-1', 'e1-2']);
    expect(ids(acc1)).toEqual(['A']);
    expect(hub.latestId).toBe('e1-2');
  });

  it('resumes after an id with the updates since, of the account asked for, oldest first', () => {
    const hub = new OrderUpdateHub({ epoch: 'e1' });
    hub.publish(order('A'));
    const seen = hub.latestId;
    hub.publish(order('B'));
    hub.publish(order('C', 'ACC-2'));
    hub.publish(order('D'));
    const resumed = hub.resume(seen, 'ACC-1');
    expect(resumed.kind).toBe('resume');
    if (resumed.kind === 'resume') expect(ids(resumed.missed)).toEqual(['B', 'D']);
    const everyAccount = hub.resume(seen, undefined);
    if (everyAccount.kind === 'resume') expect(ids(everyAccount.missed)).toEqual(['B', 'C', 'D']);
    const upToDate = hub.resume(hub.latestId, undefined);
    expect(upToDate).toEqual({ kind: 'resume', missed: [] });
  });

  it('resumes from the id a stream got before any update', () => {
    const hub = new OrderUpdateHub({ epoch: 'e1' });
    const atStart = hub.latestId;
    hub.publish(order('A'));
    const resumed = hub.resume(atStart, undefined);
    expect(resumed.kind === 'resume' && ids(resumed.missed)).toEqual(['A']);
  });

  it('says reset for an id older than what it holds, from another process, or not its own', () => {
    const hub = new OrderUpdateHub({ epoch: 'e1', retained: 3 });
    hub.publish(order('A'));
    const old = hub.latestId;
    for (const id of ['B', 'C', 'D', 'E']) hub.publish(order(id));
    // B (e1-2) is no longer held: a stream that last had A cannot resume.
    expect(hub.resume(old, undefined)).toEqual({ kind: 'reset' });
    const held = hub.resume('e1-2', undefined);
    expect(held.kind === 'resume' && ids(held.missed)).toEqual(['C', 'D', 'E']);
    expect(hub.resume('e0-4', undefined)).toEqual({ kind: 'reset' });
    expect(hub.resume('e1-99', undefined)).toEqual({ kind: 'reset' });
    expect(hub.resume('garbage', undefined)).toEqual({ kind: 'reset' });
  });
});
