import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOrder, startTestSystem } from '../support/embedded.js';

let system: Awaited<ReturnType<typeof startTestSystem>>;
const ACCOUNT = 'ACC-BAD-INPUT';

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.cleanUp();
});

const valid = {
  clientOrderId: 'BAD-1',
  accountId: ACCOUNT,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: 150.5,
  timeInForce: 'DAY',
};

function fieldsOf(json: Record<string, unknown>): string[] {
  const error = json.error as { code: string; fields?: { field: string; message: string }[] };
  return (error.fields ?? []).map((f) => f.field);
}

async function expectNothingStored(): Promise<void> {
  const response = await fetch(`${system.url}/api/v1/orders?accountId=${ACCOUNT}`);
  expect(((await response.json()) as { orders: unknown[] }).orders).toEqual([]);
}

describe('bad input is refused with every bad field named, and nothing is stored', () => {
  const cases: [string, unknown, string[]][] = [
    ['an empty object', {}, ['clientOrderId', 'accountId', 'symbol', 'side', 'orderType', 'quantity', 'timeInForce']],
    ['a missing quantity', { ...valid, quantity: undefined }, ['quantity']],
    ['a quantity as a string', { ...valid, quantity: '100' }, ['quantity']],
    ['a fractional quantity', { ...valid, quantity: 1.5 }, ['quantity']],
    ['a zero quantity', { ...valid, quantity: 0 }, ['quantity']],
    ['a negative quantity', { ...valid, quantity: -100 }, ['quantity']],
    ['a LIMIT order without a price', { ...valid, limitPrice: undefined }, ['limitPrice']],
    ['a MARKET order with a price', { ...valid, orderType: 'MARKET' }, ['limitPrice']],
    ['a negative price', { ...valid, limitPrice: -1 }, ['limitPrice']],
    ['a sub-penny price above one dollar', { ...valid, limitPrice: 150.505 }, ['limitPrice']],
    ['a price that is not a number', { ...valid, limitPrice: 'abc' }, ['limitPrice']],
    ['an unknown side', { ...valid, side: 'HOLD' }, ['side']],
    ['an unknown order type', { ...valid, orderType: 'STOP' }, ['orderType']],
    ['an unknown time in force', { ...valid, timeInForce: 'GTD' }, ['timeInForce']],
    ['a lower-case symbol', { ...valid, symbol: 'aapl' }, ['symbol']],
    ['an unknown field', { ...valid, limitprice: 1 }, ['limitprice']],
    ['several bad fields at once', { ...valid, side: 'X', quantity: 0, timeInForce: 'Y' }, ['side', 'quantity', 'timeInForce']],
    ['a JSON array', [valid], ['body']],
  ];

  it.each(cases)('400 for %s', async (_name, body, fields) => {
    const { status, json } = await postOrder(system.url, body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(fieldsOf(json).sort()).toEqual([...fields].sort());
  });

  it('400 for malformed JSON, naming the body', async () => {
    const { status, json } = await postOrder(system.url, '{"clientOrderId": "X",');
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    expect(fieldsOf(json)).toEqual(['body']);
  });

  it('413 for a body over the limit', async () => {
    const { status, json } = await postOrder(system.url, { ...valid, clientOrderId: 'x'.repeat(20_000) });
    expect(status).toBe(413);
    expect(json).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    expect(fieldsOf(json)).toEqual(['body']);
  });

  it('415 for a body that is not JSON', async () => {
    const response = await fetch(`${system.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.status).toBe(415);
    expect(fieldsOf((await response.json()) as Record<string, unknown>)).toEqual(['body']);
  });

  it('stored none of them', async () => {
    await expectNothingStored();
  });
});

describe('a NUL character (which PostgreSQL text cannot hold) is refused with the field named, never a 500', () => {
  const requests: [string, string, RequestInit, string][] = [
    ['the order list', '/api/v1/orders?accountId=%00', {}, 'accountId'],
    ['positions', '/api/v1/positions?accountId=ACC%00X', {}, 'accountId'],
    ['execution quality', '/api/v1/execution-quality?accountId=%00', {}, 'accountId'],
    [
      'a new order',
      '/api/v1/orders',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...valid, clientOrderId: 'NUL\u0000' }) },
      'clientOrderId',
    ],
    [
      'a kill switch reason',
      '/api/v1/risk/kill-switch',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'ACCOUNT', accountId: ACCOUNT, reason: 'halt\u0000' }) },
      'reason',
    ],
    ['a kill switch release reason', `/api/v1/risk/kill-switch?scope=ACCOUNT&accountId=${ACCOUNT}&reason=%00`, { method: 'DELETE' }, 'reason'],
  ];

  it.each(requests)('400 for %s', async (_name, path, init, field) => {
    const response = await fetch(`${system.url}${path}`, init);
    expect(response.status).toBe(400);
    const json = (await response.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(fieldsOf(json)).toEqual([field]);
  });

  it('engaged no kill switch and stored no order', async () => {
    const switches = (await (await fetch(`${system.url}/api/v1/risk/kill-switch`)).json()) as { engaged: unknown[] };
    expect(switches.engaged).toEqual([]);
    await expectNothingStored();
  });
});
