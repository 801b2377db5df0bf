import { describe, expect, it } from 'vitest';
import { FixMessage } from '../../fix/index.js';
import { rejectedOrderReport, SentOrders } from './venue-rejects.js';

const message = (fields: [number, string][]) => new FixMessage(fields);

describe('venue refusals of our NewOrderSingles', () => {
  const sent = new SentOrders();
  sent.remember(7, 'child-7');
  sent.remember(8, 'child-8');

  it('turns a session Reject of a NewOrderSingle into a REJECTED report for the child it names by RefSeqNum', () => {
    const reject = message([
      [35, '3'],
      [45, '8'],
      [58, 'Value is incorrect (out of range) for this tag'],
      [371, '40'],
      [372, 'D'],
      [373, '5'],
    ]);
    expect(rejectedOrderReport('QFEX', reject, sent)).toMatchObject({
      venue: 'QFEX',
      clOrdId: 'child-8',
      execType: 'REJECTED',
      execId: 'session-reject:child-8',
      cumQty: 0,
      leavesQty: 0,
      text: 'Value is incorrect (out of range) for this tag (tag 40)',
    });
  });

  it('uses BusinessRejectRefID for a BusinessMessageReject', () => {
    const reject = message([
      [35, 'j'],
      [45, '3'],
      [58, 'Unsupported Message Type'],
      [372, 'D'],
      [379, 'child-x'],
      [380, '3'],
    ]);
    expect(rejectedOrderReport('XNYS', reject, sent)).toMatchObject({ clOrdId: 'child-x', execType: 'REJECTED', text: 'Unsupported Message Type' });
  });

  it('ignores refusals of other messages and of orders it cannot tie to a child', () => {
    expect(
      rejectedOrderReport(
        'XNYS',
        message([
          [35, '3'],
          [45, '7'],
          [372, 'H'],
        ]),
        sent,
      ),
    ).toBeUndefined();
    expect(
      rejectedOrderReport(
        'XNYS',
        message([
          [35, '3'],
          [45, '99'],
          [372, 'D'],
        ]),
        sent,
      ),
    ).toBeUndefined();
    expect(
      rejectedOrderReport(
        'XNYS',
        message([
          [35, 'j'],
          [372, 'D'],
        ]),
        sent,
      ),
    ).toBeUndefined();
  });

  it('forgets the oldest orders beyond its bound', () => {
    const bounded = new SentOrders();
    for (let seq = 1; seq <= 10_001; seq++) bounded.remember(seq, `c${seq}`);
    expect(bounded.clOrdIdAt(1)).toBeUndefined();
    expect(bounded.clOrdIdAt(10_001)).toBe('c10001');
  });
});
