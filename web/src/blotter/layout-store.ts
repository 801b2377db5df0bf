/**
 * The blotter's saved layout: column widths, sort and hidden columns, kept in localStorage per
 * signed-in user (their subject). Pure but for the storage passed in, so it is unit-tested without
 * a browser. A saved value is trusted only once checked: anything else (not JSON, another version,
 * wrong shapes) reads as "no saved layout", so a corrupt or old entry can never break the page.
 */

/** Bump when the shape changes: an older entry is then ignored, not misread. */
export const LAYOUT_VERSION = 1;
const KEY_PREFIX = 'oms-sor.blotter-layout';
/** Widths outside this are not a drag's result: ignored, the column keeps its default. */
export const MIN_WIDTH = 30;
export const MAX_WIDTH = 2_000;

export interface BlotterLayout {
  /** Column id to width in px; a column not named keeps its default width. */
  readonly columnSizing: Readonly<Record<string, number>>;
  /** As TanStack's SortingState: the first is the main key. */
  readonly sorting: readonly { readonly id: string; readonly desc: boolean }[];
  /** Column id to false for a hidden column (true or absent: shown). */
  readonly columnVisibility: Readonly<Record<string, boolean>>;
}

/** What the layout store needs of localStorage (a Map-backed fake in the tests). */
export interface LayoutStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const layoutKey = (user: string): string => `${KEY_PREFIX}.v${LAYOUT_VERSION}:${user}`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The layout in `raw` (a stored JSON text) if it is one of this version; undefined otherwise.
 * Entries naming columns the grid no longer has (`columnIds`) are dropped one by one, and so are
 * widths out of range, so a layout saved before a column was renamed still restores the rest.
 */
export function parseLayout(raw: string | null, columnIds: readonly string[]): BlotterLayout | undefined {
  if (raw === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.version !== LAYOUT_VERSION) return undefined;
  const { columnSizing, sorting, columnVisibility } = value;
  if (!isRecord(columnSizing) || !Array.isArray(sorting) || !isRecord(columnVisibility)) return undefined;
  const known = new Set(columnIds);
  const sizes = Object.entries(columnSizing).filter(
    (entry): entry is [string, number] =>
      known.has(entry[0]) && typeof entry[1] === 'number' && Number.isFinite(entry[1]) && entry[1] >= MIN_WIDTH && entry[1] <= MAX_WIDTH,
  );
  const sorts = sorting.filter(
    (s): s is { id: string; desc: boolean } => isRecord(s) && typeof s.id === 'string' && known.has(s.id) && typeof s.desc === 'boolean',
  );
  const hidden = Object.entries(columnVisibility).filter((entry): entry is [string, boolean] => known.has(entry[0]) && typeof entry[1] === 'boolean');
  return {
    columnSizing: Object.fromEntries(sizes.map(([id, width]) => [id, Math.round(width)])),
    // One key per column; copies made here, so the stored object is never shared.
    sorting: sorts.filter((s, i) => sorts.findIndex((t) => t.id === s.id) === i).map(({ id, desc }) => ({ id, desc })),
    columnVisibility: Object.fromEntries(hidden),
  };
}

/** The JSON text stored for a layout. */
export const serializeLayout = (layout: BlotterLayout): string =>
  JSON.stringify({ version: LAYOUT_VERSION, columnSizing: layout.columnSizing, sorting: layout.sorting, columnVisibility: layout.columnVisibility });

/**
 * Storage that may refuse (Safari's private mode, a full quota, storage disabled: getItem or
 * setItem throw) costs only the saving: reads as nothing saved, writes are dropped.
 */
export function loadLayout(storage: LayoutStorage | undefined, user: string, columnIds: readonly string[]): BlotterLayout | undefined {
  try {
    return parseLayout(storage?.getItem(layoutKey(user)) ?? null, columnIds);
  } catch {
    return undefined;
  }
}

export function saveLayout(storage: LayoutStorage | undefined, user: string, layout: BlotterLayout): void {
  try {
    storage?.setItem(layoutKey(user), serializeLayout(layout));
  } catch {
    // Not saved: the layout still holds for this page.
  }
}

export function clearLayout(storage: LayoutStorage | undefined, user: string): void {
  try {
    storage?.removeItem(layoutKey(user));
  } catch {
    // Nothing to do: the defaults are back on the page either way.
  }
}
