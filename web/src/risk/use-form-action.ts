import { useState } from 'react';
import { ApiError } from '../api/client.js';
import type { FieldError } from '../api/types.js';
import type { Outcome } from '../OutcomeLine.js';

/**
 * A risk form's one action at a time: `act` runs it, shows what it says (or the API's error, with
 * the fields it names for `errorOf`), then has the risk state read again.
 */
export function useFormAction(onChanged: () => Promise<void>) {
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<string>): Promise<void> => {
    setBusy(true);
    try {
      setOutcome({ kind: 'ok', text: await work() });
      setErrors([]);
    } catch (error) {
      setErrors(error instanceof ApiError ? error.fields : []);
      setOutcome({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
      await onChanged();
    }
  };
  const errorOf = (field: string): string | undefined => errors.find((e) => e.field === field)?.message;
  return { act, busy, outcome, errorOf };
}
