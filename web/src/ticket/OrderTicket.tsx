import { useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError, submitOrder } from '../api/client.js';
import { ORDER_TYPES, SIDES, STRATEGIES, TIMES_IN_FORCE, type FieldError, type Order } from '../api/types.js';
import { EMPTY_TICKET, newClientOrderId, orderRequest, type TicketFields } from './order-request.js';
import { OutcomeLine, type Outcome } from '../OutcomeLine.js';
import { useShortcuts } from '../lib/use-shortcuts.js';

/** The ticket's shortcuts, anywhere on the page while it is shown. */
export const TICKET_KEYS = 'F2 symbol · Alt+B buy · Alt+S sell · Alt+M market · Alt+L limit · Enter submits';

/**
 * The order ticket: keyboard-first (F2 to the symbol, Alt+B/S the side, Alt+M/L the type, Enter
 * submits from any field), the API's 400 shown on the field it names, other refusals above the button.
 */
export function OrderTicket({ onSubmitted, defaultAccount }: { onSubmitted(order: Order): void; defaultAccount: string }) {
  const [fields, setFields] = useState<TicketFields>(() => ({ ...EMPTY_TICKET, accountId: defaultAccount }));
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [busy, setBusy] = useState(false);
  const symbolInput = useRef<HTMLInputElement>(null);
  const choose = (name: keyof TicketFields, value: string) => () => setFields((now) => ({ ...now, [name]: value }));
  useShortcuts({
    F2: () => symbolInput.current?.select(),
    'Alt+B': choose('side', 'BUY'),
    'Alt+S': choose('side', 'SELL'),
    'Alt+M': choose('orderType', 'MARKET'),
    'Alt+L': choose('orderType', 'LIMIT'),
  });

  const set = (name: keyof TicketFields) => (event: { target: { value: string } }) => setFields((now) => ({ ...now, [name]: event.target.value }));
  const errorOf = (name: string): string | undefined => errors.find((e) => e.field === name)?.message;

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const order = await submitOrder(orderRequest(fields, newClientOrderId()));
      setErrors([]);
      setOutcome({ kind: 'ok', text: `Submitted ${order.clientOrderId} (${order.orderId})` });
      onSubmitted(order);
    } catch (error) {
      const fieldErrors = error instanceof ApiError ? error.fields : [];
      setErrors(fieldErrors);
      const unplaced = fieldErrors.filter((e) => !(e.field in fields));
      const message = error instanceof Error ? error.message : String(error);
      setOutcome({ kind: 'error', text: [message, ...unplaced.map((e) => `${e.field} ${e.message}`)].join('; ') });
    } finally {
      setBusy(false);
    }
  };

  // Selects do not submit a form on Enter by themselves.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'SELECT') {
      event.preventDefault();
      void submit();
    }
  };

  const field = (name: keyof TicketFields, label: string, input: ReactNode): ReactNode => {
    const error = errorOf(name);
    return (
      <div className={error ? 'field invalid' : 'field'}>
        <label htmlFor={`ticket-${name}`}>{label}</label>
        {input}
        {error && (
          <span className="field-error" id={`ticket-${name}-error`} role="alert">
            {error}
          </span>
        )}
      </div>
    );
  };
  const common = (name: keyof TicketFields) => ({
    id: `ticket-${name}`,
    name,
    value: fields[name],
    onChange: set(name),
    'aria-invalid': errorOf(name) ? true : undefined,
    'aria-describedby': errorOf(name) ? `ticket-${name}-error` : undefined,
  });
  const select = (name: keyof TicketFields, options: readonly string[], blank?: string) => (
    <select {...common(name)}>
      {blank !== undefined && <option value="">{blank}</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );

  return (
    <form className="ticket" aria-label="Order ticket" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate>
      <h2>Order ticket</h2>
      <p className="keys">{TICKET_KEYS}</p>
      {field('symbol', 'Symbol', <input {...common('symbol')} ref={symbolInput} autoFocus autoComplete="off" />)}
      {field('side', 'Side', select('side', SIDES))}
      {field('orderType', 'Type', select('orderType', ORDER_TYPES))}
      {field('quantity', 'Quantity', <input {...common('quantity')} inputMode="numeric" autoComplete="off" />)}
      {field('limitPrice', 'Limit price', <input {...common('limitPrice')} inputMode="decimal" autoComplete="off" disabled={fields.orderType !== 'LIMIT'} />)}
      {field('timeInForce', 'TIF', select('timeInForce', TIMES_IN_FORCE))}
      {field('strategy', 'Strategy', select('strategy', STRATEGIES, 'default'))}
      {field('accountId', 'Account', <input {...common('accountId')} autoComplete="off" />)}
      <button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Submit (Enter)'}
      </button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}
