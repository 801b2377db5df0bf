import { describe, expect, it } from 'vitest';
import {
  clearLayout,
  layoutKey,
  loadLayout,
  parseLayout,
  saveLayout,
  serializeLayout,
  type BlotterLayout,
  type LayoutStorage,
} from '../../web/src/blotter/layout-store.js';

/** The blotter's saved layout (web/src/blotter/layout-store.ts): per user, checked before it is trusted. */
describe('blotter layout store', () => {
  const COLUMNS = ['actions', 'updatedAt', 'symbol', 'status', 'avgPrice'];
  const LAYOUT: BlotterLayout = { columnSizing: { symbol: 150, status: 90 }, sorting: [{ id: 'symbol', desc: false }], columnVisibility: { avgPrice: false } };

  const memory = (): LayoutStorage & { readonly items: Map<string, string> } => {
    const items = new Map<string, string>();
    return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
  };
  const raw = (value: unknown): string => JSON.stringify(value);

  it('saves and restores a layout, under a key per user', () => {
    const storage = memory();
    saveLayout(storage, 'trader-1', LAYOUT);
    expect(loadLayout(storage, 'trader-1', COLUMNS)).toEqual(LAYOUT);
    expect(loadLayout(storage, 'trader-2', COLUMNS)).toBeUndefined();
    expect([...storage.items.keys()]).toEqual([layoutKey('trader-1')]);
    expect(layoutKey('trader-1')).not.toBe(layoutKey('trader-2'));
  });

  it('forgets the layout on reset', () => {
    const storage = memory();
    saveLayout(storage, 'trader-1', LAYOUT);
    saveLayout(storage, 'trader-2', LAYOUT);
    clearLayout(storage, 'trader-1');
    expect(loadLayout(storage, 'trader-1', COLUMNS)).toBeUndefined();
    expect(loadLayout(storage, 'trader-2', COLUMNS)).toEqual(LAYOUT);
  });

  it('ignores what is not a layout of this version: nothing, not JSON, another version, wrong shapes', () => {
    expect(parseLayout(null, COLUMNS)).toBeUndefined();
    for (const text of [
      '',
      '{',
      'null',
      '42',
      '"layout"',
      '[]',
      raw({}),
      raw({ ...JSON.parse(serializeLayout(LAYOUT)), version: 0 }),
      raw({ ...JSON.parse(serializeLayout(LAYOUT)), version: '1' }),
    ]) {
      expect(parseLayout(text, COLUMNS), text).toBeUndefined();
    }
    // An older shape: widths as an array, sort as one object.
    expect(parseLayout(raw({ version: 1, columnSizing: [150], sorting: [], columnVisibility: {} }), COLUMNS)).toBeUndefined();
    expect(parseLayout(raw({ version: 1, columnSizing: {}, sorting: { id: 'symbol', desc: true }, columnVisibility: {} }), COLUMNS)).toBeUndefined();
    expect(parseLayout(raw({ version: 1, columnSizing: {}, sorting: [] }), COLUMNS)).toBeUndefined();
  });

  it('drops entries for columns the grid does not have, widths out of range and malformed sorts, keeping the rest', () => {
    const layout = parseLayout(
      raw({
        version: 1,
        columnSizing: { symbol: 150.4, gone: 100, status: 5, avgPrice: 1e9, updatedAt: 'wide', actions: null },
        sorting: [{ id: 'gone', desc: true }, { id: 'status' }, { id: 'symbol', desc: true }, { id: 'symbol', desc: false }, 'x'],
        columnVisibility: { gone: false, avgPrice: 'no', status: false },
      }),
      COLUMNS,
    );
    expect(layout).toEqual({ columnSizing: { symbol: 150 }, sorting: [{ id: 'symbol', desc: true }], columnVisibility: { status: false } });
  });

  it('costs only the saving when storage refuses (private mode, quota, disabled)', () => {
    const refusing: LayoutStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadLayout(refusing, 'trader-1', COLUMNS)).toBeUndefined();
    expect(() => saveLayout(refusing, 'trader-1', LAYOUT)).not.toThrow();
    expect(() => clearLayout(refusing, 'trader-1')).not.toThrow();
    expect(loadLayout(undefined, 'trader-1', COLUMNS)).toBeUndefined();
  });
});
