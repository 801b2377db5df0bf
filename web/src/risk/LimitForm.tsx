import { useState, type FormEvent } from 'react';
import { accountLimits, clearAccountLimits, setAccountLimits, type RiskLimits } from '../api/risk-client.js';
import { numberOrText } from '../ticket/order-request.js';
import { LIMIT_COLUMNS, type LimitName } from './limit-columns.js';
import { FormField } from './FormField.js';
import { useFormAction } from './use-form-action.js';
import { OutcomeLine } from '../OutcomeLine.js';

/** Limits whose "none" means no limit (null in the API). */
const NULLABLE: readonly LimitName[] = ['creditLimit', 'maxPosition', 'maxOrdersPerSecond'];
/** Money: a decimal string, never a binary float. */
const MONEY: readonly LimitName[] = ['maxOrderNotional', 'creditLimit'];

/** The value as the API takes it, typed as the user wrote it, so the API's 400 judges a bad one. */
function limitValue(name: LimitName, text: string): unknown {
  const trimmed = text.trim();
  if (NULLABLE.includes(name) && trimmed.toLowerCase() === 'none') return null;
  if (name === 'restrictedSymbols') return trimmed.split(/[\s,]+/).filter(Boolean);
  return MONEY.includes(name) ? trimmed : numberOrText(trimmed);
}

/**
 * Sets one limit of an account (PUT /api/v1/risk/limits/{accountId}, the account's other own limits
 * kept as they are read now), or puts the account back on the defaults (DELETE). The API's 400 is
 * shown under the field it names.
 */
export function LimitForm({ onChanged }: { onChanged(): Promise<void> }) {
  const [accountId, setAccountId] = useState('');
  const [name, setName] = useState<LimitName>('maxOrderQuantity');
  const [value, setValue] = useState('');
  const { act, busy, outcome, errorOf } = useFormAction(onChanged);

  const account = accountId.trim();
  const set = (event: FormEvent): void => {
    event.preventDefault();
    void act(async () => {
      const { overrides } = await accountLimits(account);
      const next = { ...overrides, [name]: limitValue(name, value) } as RiskLimits;
      await setAccountLimits(account, next);
      return `${account}: ${name} set`;
    });
  };
  const clear = (): void =>
    void act(async () => {
      await clearAccountLimits(account);
      return `${account}: back on the defaults`;
    });

  return (
    <form className="set-limit" aria-label="Set a limit" onSubmit={set} noValidate>
      <FormField id="limit-accountId" label="Account" error={errorOf('accountId')}>
        <input id="limit-accountId" value={accountId} onChange={(e) => setAccountId(e.target.value)} autoComplete="off" />
      </FormField>
      <FormField id="limit-name" label="Limit" error={undefined}>
        <select id="limit-name" value={name} onChange={(e) => setName(e.target.value as LimitName)}>
          {LIMIT_COLUMNS.map((c) => (
            <option key={c.name} value={c.name}>
              {c.header}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="limit-value" label="Value" error={errorOf(name)}>
        <input
          id="limit-value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="off"
          placeholder={NULLABLE.includes(name) ? 'a number, or none' : ''}
        />
      </FormField>
      <button type="submit" disabled={busy}>
        Set limit
      </button>
      <button type="button" disabled={busy || account === ''} onClick={clear}>
        Back to defaults
      </button>
      <OutcomeLine outcome={outcome} />
    </form>
  );
}
