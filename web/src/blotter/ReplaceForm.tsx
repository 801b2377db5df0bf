import { useState, type FormEvent } from 'react';
import { ApiError, replaceOrder } from '../api/client.js';
import type { FieldError, Order } from '../api/types.js';
import { numberOrText } from '../ticket/order-request.js';

interface ReplaceFormProps {
  readonly order: Order;
  onDone(message: string): void;
  onClose(): void;
}

/**
 * Replace a working order's quantity and/or limit price from its row (PATCH /api/v1/orders/{id}):
 * only the fields changed are sent, as typed, so the API judges them and its 400 shows under the
 * field it names. Accepted means requested: the row changes as the venues confirm.
 */
export function ReplaceForm({ order, onDone, onClose }: ReplaceFormProps) {
  const [quantity, setQuantity] = useState(String(order.quantity));
  const [limitPrice, setLimitPrice] = useState(order.limitPrice ?? '');
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const errorOf = (field: string): string | undefined => errors.find((e) => e.field === field)?.message;
  const others = errors.filter((e) => e.field !== 'quantity' && e.field !== 'limitPrice');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const change: Record<string, unknown> = {};
    if (quantity.trim() !== String(order.quantity)) change.quantity = numberOrText(quantity);
    if (order.orderType === 'LIMIT' && limitPrice.trim() !== order.limitPrice) change.limitPrice = limitPrice.trim();
    try {
      await replaceOrder(order.orderId, change);
      onDone(`Replace requested for ${order.clientOrderId}`);
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : [];
      setErrors(fields.length > 0 ? fields : [{ field: 'body', message: error instanceof Error ? error.message : String(error) }]);
      setBusy(false);
    }
  };

  const field = (name: 'quantity' | 'limitPrice', label: string, value: string, set: (v: string) => void, disabled = false) => (
    <div className={errorOf(name) ? 'field invalid' : 'field'}>
      <label htmlFor={`replace-${name}`}>{label}</label>
      <input
        id={`replace-${name}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        disabled={disabled}
        autoFocus={name === 'quantity'}
        autoComplete="off"
        aria-invalid={errorOf(name) ? true : undefined}
        aria-describedby={errorOf(name) ? `replace-${name}-error` : undefined}
      />
      {errorOf(name) && (
        <span className="field-error" id={`replace-${name}-error`} role="alert">
          {errorOf(name)}
        </span>
      )}
    </div>
  );

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <form
        className="replace"
        role="dialog"
        aria-label={`Replace ${order.clientOrderId}`}
        onSubmit={(e) => void submit(e)}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
        noValidate
      >
        <h2>Replace</h2>
        <p className="ids">
          {order.side} {order.symbol} {order.orderType} · {order.clientOrderId} · filled {order.filledQuantity}
        </p>
        {field('quantity', 'New quantity', quantity, setQuantity)}
        {field('limitPrice', 'New limit price', limitPrice, setLimitPrice, order.orderType !== 'LIMIT')}
        {others.map((e) => (
          <p key={e.field} className="field-error" role="alert">
            {e.field === 'body' ? e.message : `${e.field} ${e.message}`}
          </p>
        ))}
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Replace (Enter)'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Close (Esc)
          </button>
        </div>
      </form>
    </div>
  );
}
