import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import { FINAL_STATUSES, type Order } from '../api/types.js';
import { byDecimal, byNumber, byText } from './sorting.js';

const column = createColumnHelper<Order>();

const time = (iso: string): string => iso.slice(11, 23);

/** What the user may do to a working order from its row; absent when the user may not amend orders (no trader role). */
export interface RowActions {
  onCancel(order: Order): void;
  onReplace(order: Order): void;
}

/** A button in a row: the row's own click opens the detail panel, so the button's click stops there. */
const rowButton = (label: string, className: string, act: () => void) => (
  <button
    type="button"
    className={className}
    onClick={(event) => {
      event.stopPropagation();
      act();
    }}
  >
    {label}
  </button>
);

/** A column's id as the table gives it: its own, else its accessor's key. */
export const columnIdOf = (def: ColumnDef<Order, unknown>): string => def.id ?? ('accessorKey' in def ? String(def.accessorKey) : '');

/** The blotter's columns; `actions`, when the user may amend, puts Cancel and Replace buttons on every working order's row. */
export function blotterColumns(actions: RowActions | undefined): ColumnDef<Order, unknown>[] {
  const actionColumn = actions && [
    // First, so it is in view without scrolling the grid sideways.
    column.display({
      id: 'actions',
      header: '',
      size: 160,
      cell: (c) =>
        FINAL_STATUSES.has(c.row.original.status) ? null : (
          <>
            {rowButton('Cancel', 'cancel', () => actions.onCancel(c.row.original))} {rowButton('Replace', 'replace', () => actions.onReplace(c.row.original))}
          </>
        ),
    }),
  ];
  const columns = [
    ...(actionColumn ?? []),
    column.accessor('updatedAt', { header: 'Updated', cell: (c) => time(c.getValue()), size: 105, sortingFn: byText }),
    column.accessor('symbol', { header: 'Symbol', size: 70, sortingFn: byText }),
    column.accessor('side', { header: 'Side', size: 60, sortingFn: byText }),
    column.accessor('orderType', { header: 'Type', size: 70, sortingFn: byText }),
    column.accessor('quantity', { header: 'Qty', size: 70, sortingFn: byNumber }),
    column.accessor('limitPrice', { header: 'Limit', cell: (c) => c.getValue() ?? '', size: 80, sortingFn: byDecimal }),
    column.accessor('timeInForce', { header: 'TIF', size: 50, sortingFn: byText }),
    column.accessor('status', { header: 'Status', size: 120, sortingFn: byText }),
    column.accessor('filledQuantity', { header: 'Filled', size: 70, sortingFn: byNumber }),
    column.accessor('leavesQuantity', { header: 'Leaves', size: 70, sortingFn: byNumber }),
    column.accessor('avgPrice', { header: 'Avg price', cell: (c) => c.getValue() ?? '', size: 90, sortingFn: byDecimal }),
    column.accessor('accountId', { header: 'Account', size: 95, sortingFn: byText }),
    column.accessor('clientOrderId', { header: 'Client id', size: 150, sortingFn: byText }),
    column.accessor('rejectReason', { header: 'Reason', cell: (c) => c.getValue() ?? '', size: 220, sortingFn: byText }),
  ];
  // The helper types each accessor by its value; the table takes them as one list.
  return columns as ColumnDef<Order, unknown>[];
}
