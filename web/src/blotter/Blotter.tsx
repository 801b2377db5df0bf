import { flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Order } from '../api/types.js';
import { blotterColumns, columnIdOf, type RowActions } from './columns.js';
import { useSavedLayout } from './use-saved-layout.js';

const ROW_HEIGHT = 28;

interface BlotterProps {
  readonly orders: readonly Order[];
  readonly selectedId: string | undefined;
  /** A row clicked or reached by the keys; undefined: Escape let go of the selection. */
  onSelect(order: Order | undefined): void;
  /** Absent when the user may not amend orders (no trader role): no cancel or replace buttons at all. */
  actions: RowActions | undefined;
  /** Who is signed in: the grid's layout (widths, sort, hidden columns) is saved per user. */
  readonly user: string;
}

/**
 * Every order, newest first by default, sortable by any column and filtered by one text box.
 * Only the rows in view are in the DOM (virtual rows), so thousands of orders cost what a screenful does.
 */
export function Blotter({ orders, selectedId, onSelect, actions, user }: BlotterProps) {
  const [filter, setFilter] = useState('');
  const [columnsOpen, setColumnsOpen] = useState(false);
  const columns = useMemo(() => blotterColumns(actions), [actions]);
  const layout = useSavedLayout(
    user,
    useMemo(() => columns.map(columnIdOf), [columns]),
  );
  const data = useMemo(() => [...orders], [orders]);
  const table = useReactTable({
    data,
    columns,
    state: { sorting: layout.sorting, columnSizing: layout.columnSizing, columnVisibility: layout.columnVisibility, globalFilter: filter },
    onSortingChange: layout.onSortingChange,
    onColumnSizingChange: layout.onColumnSizingChange,
    onColumnVisibilityChange: layout.onColumnVisibilityChange,
    onGlobalFilterChange: setFilter,
    getRowId: (order) => order.orderId,
    // Drag a header's right edge to widen or narrow its column (cells follow as it moves).
    columnResizeMode: 'onChange',
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const width = table.getTotalSize();

  // A trader's keys: arrows (and Home/End) move the selection through the rows as sorted and
  // filtered, keeping it in view; Escape lets go of it.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') return onSelect(undefined);
    const at = rows.findIndex((r) => r.id === selectedId);
    const next = nextRowIndex(event.key, at, rows.length);
    if (next === undefined) return;
    event.preventDefault();
    onSelect(rows[next]!.original);
    virtual.scrollToIndex(next);
  };

  return (
    <section className="blotter" aria-label="Blotter">
      <div className="blotter-bar">
        <h2>Blotter</h2>
        <input aria-label="Filter orders" placeholder="Filter (symbol, status, account…)" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="count">
          {rows.length} of {orders.length} orders
        </span>
        <details className="columns-menu" open={columnsOpen} onToggle={(e) => setColumnsOpen(e.currentTarget.open)}>
          <summary>Columns</summary>
          {/* In the page only while open: its labels (Symbol, Side, Account…) are the ticket's too. */}
          {columnsOpen && (
            <fieldset aria-label="Columns shown">
              {table
                .getAllLeafColumns()
                .filter((c) => c.id !== 'actions')
                .map((c) => (
                  <label key={c.id}>
                    <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} /> {String(c.columnDef.header)}
                  </label>
                ))}
            </fieldset>
          )}
        </details>
        <button
          type="button"
          className="reset-layout"
          onClick={layout.reset}
          title="Default column widths, sort (newest first) and columns; forgets the saved layout"
        >
          Reset layout
        </button>
      </div>
      <div className="grid" role="table" aria-label="Orders" aria-rowcount={rows.length} ref={scroller} tabIndex={0} onKeyDown={onKeyDown}>
        <div className="grid-head" role="row" style={{ width }}>
          {table.getFlatHeaders().map((header) => (
            <div
              key={header.id}
              role="columnheader"
              className="cell"
              style={{ width: header.getSize() }}
              onClick={header.column.getToggleSortingHandler()}
              aria-sort={header.column.getIsSorted() === 'asc' ? 'ascending' : header.column.getIsSorted() === 'desc' ? 'descending' : 'none'}
            >
              {flexRender(header.column.columnDef.header, header.getContext())}
              {{ asc: ' ▲', desc: ' ▼' }[header.column.getIsSorted() as string] ?? ''}
              {header.column.getCanResize() && (
                <span
                  className={header.column.getIsResizing() ? 'resizer resizing' : 'resizer'}
                  aria-hidden="true"
                  onMouseDown={header.getResizeHandler()}
                  onTouchStart={header.getResizeHandler()}
                  onClick={(e) => e.stopPropagation()}
                />
              )}
            </div>
          ))}
        </div>
        <div className="grid-body" style={{ height: virtual.getTotalSize(), width }}>
          {virtual.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const order = row.original;
            return (
              <div
                key={row.id}
                role="row"
                data-order-id={order.orderId}
                aria-selected={order.orderId === selectedId}
                data-status={order.status}
                className={`grid-row status-${order.status.toLowerCase()}${order.orderId === selectedId ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => onSelect(order)}
              >
                {row.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="cell" className="cell" data-col={cell.column.id} style={{ width: cell.column.getSize() }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** The row a navigation key moves the selection to (none selected: the first), or undefined for other keys. */
function nextRowIndex(key: string, at: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return at < 0 ? 0 : Math.min(at + 1, count - 1);
    case 'ArrowUp':
      return at < 0 ? 0 : Math.max(at - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
