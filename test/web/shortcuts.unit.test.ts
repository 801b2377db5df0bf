import { describe, expect, it } from 'vitest';
import { shortcutOf, type KeyPress } from '../../web/src/lib/shortcuts.js';

const press = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('desk shortcuts', () => {
  it('names Alt with a letter or digit by the physical key, whatever Alt made of event.key', () => {
    expect(shortcutOf(press('s', 'KeyS', { altKey: true }))).toBe('Alt+S');
    expect(shortcutOf(press('ß', 'KeyS', { altKey: true }))).toBe('Alt+S');
    expect(shortcutOf(press('2', 'Digit2', { altKey: true }))).toBe('Alt+2');
    expect(shortcutOf(press('F2', 'F2'))).toBe('F2');
  });

  it('leaves typing alone: plain keys, and Ctrl, Meta or Shift combinations, are no shortcut', () => {
    expect(shortcutOf(press('s', 'KeyS'))).toBeUndefined();
    expect(shortcutOf(press('Enter', 'Enter'))).toBeUndefined();
    expect(shortcutOf(press('s', 'KeyS', { altKey: true, ctrlKey: true }))).toBeUndefined();
    expect(shortcutOf(press('S', 'KeyS', { altKey: true, shiftKey: true }))).toBeUndefined();
    expect(shortcutOf(press('ArrowUp', 'ArrowUp', { altKey: true }))).toBeUndefined();
    expect(shortcutOf(press('F2', 'F2', { ctrlKey: true }))).toBeUndefined();
  });
});
