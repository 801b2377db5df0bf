/** What a shortcut reads of a key press (a DOM KeyboardEvent has it; tests pass plain objects). */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/**
 * The desk's name for a key press, or undefined when it is no shortcut: Alt with a letter or a
 * digit ('Alt+S', 'Alt+2'), read from the physical key (event.code) because Alt changes what
 * event.key says on some layouts; or a function key alone ('F2'). Plain keys are never shortcuts,
 * so typing in a field is never taken over.
 */
export function shortcutOf(press: KeyPress): string | undefined {
  if (press.ctrlKey || press.metaKey || press.shiftKey) return undefined;
  if (!press.altKey) return /^F([1-9]|1[0-2])$/.test(press.key) ? press.key : undefined;
  const match = /^(?:Key|Digit)([A-Z0-9])$/.exec(press.code);
  return match ? `Alt+${match[1]}` : undefined;
}
