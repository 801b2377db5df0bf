import type { ColumnSizingState, OnChangeFn, SortingState, VisibilityState } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';
import { clearLayout, loadLayout, saveLayout, type LayoutStorage } from './layout-store.js';

/** Newest first until the user sorts otherwise. */
export const DEFAULT_SORTING: SortingState = [{ id: 'updatedAt', desc: true }];

/** The page's localStorage, or undefined where even reading the property throws (storage disabled). */
function browserStorage(): LayoutStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export interface SavedLayout {
  readonly sorting: SortingState;
  readonly columnSizing: ColumnSizingState;
  readonly columnVisibility: VisibilityState;
  readonly onSortingChange: OnChangeFn<SortingState>;
  readonly onColumnSizingChange: OnChangeFn<ColumnSizingState>;
  readonly onColumnVisibilityChange: OnChangeFn<VisibilityState>;
  /** Back to the default widths, sort and columns, and the saved layout forgotten. */
  reset(): void;
}

/**
 * The grid's layout as state, restored from the user's saved layout at start and saved again after
 * each change the user makes (a drag writes at each step: a few hundred bytes, cheap).
 */
export function useSavedLayout(user: string, columnIds: readonly string[]): SavedLayout {
  const [initial] = useState(() => loadLayout(browserStorage(), user, columnIds));
  const [sorting, setSorting] = useState<SortingState>(() => (initial ? [...initial.sorting] : DEFAULT_SORTING));
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>(() => ({ ...initial?.columnSizing }));
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(() => ({ ...initial?.columnVisibility }));
  // Only the user's own changes are saved: opening the page never writes the defaults.
  const changed = useRef(false);
  const mark =
    <T>(set: (update: T | ((old: T) => T)) => void): OnChangeFn<T> =>
    (update) => {
      changed.current = true;
      set(update);
    };

  useEffect(() => {
    if (!changed.current) return;
    saveLayout(browserStorage(), user, { sorting, columnSizing, columnVisibility });
  }, [user, sorting, columnSizing, columnVisibility]);

  return {
    sorting,
    columnSizing,
    columnVisibility,
    onSortingChange: mark(setSorting),
    onColumnSizingChange: mark(setColumnSizing),
    onColumnVisibilityChange: mark(setColumnVisibility),
    reset: () => {
      changed.current = false;
      clearLayout(browserStorage(), user);
      setSorting(DEFAULT_SORTING);
      setColumnSizing({});
      setColumnVisibility({});
    },
  };
}
