import { useEffect, useRef } from 'react';
import { shortcutOf } from './shortcuts.js';

/** Runs the handler of each shortcut pressed anywhere on the page while mounted (the latest handlers). */
export function useShortcuts(handlers: Readonly<Record<string, () => void>>): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const name = shortcutOf(event);
      const handler = name === undefined ? undefined : latest.current[name];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
