import { useState, type FormEvent, type ReactNode } from 'react';
import { engageKillSwitch, KILL_SWITCH_SCOPES, releaseKillSwitch, type KillSwitch, type KillSwitchScope } from '../api/risk-client.js';
import { FormField } from './FormField.js';
import { useFormAction } from './use-form-action.js';
import { OutcomeLine } from '../OutcomeLine.js';

interface Props {
  readonly switches: readonly KillSwitch[];
  /** After a change: read the risk state again. */
  onChanged(): Promise<void>;
}

const time = (iso: string): string => iso.replace('T', ' ').slice(0, 19);
const targetOf = (s: Pick<KillSwitch, 'scope' | 'accountId'>): string => (s.scope === 'GLOBAL' ? 'every account' : `account ${s.accountId}`);

/**
 * Kill switches: the global one's state, every engaged switch with its reason, a form to engage one
 * (the API's 400 shown on the field it names) and a Release button per engaged switch.
 */
export function KillSwitchPanel({ switches, onChanged }: Props) {
  const [scope, setScope] = useState<KillSwitchScope>('ACCOUNT');
  const [accountId, setAccountId] = useState('');
  const [reason, setReason] = useState('');
  const { act, busy, outcome, errorOf } = useFormAction(onChanged);
  const global = switches.find((s) => s.scope === 'GLOBAL');

  const engage = (event: FormEvent): void => {
    event.preventDefault();
    void act(async () => {
      const result = await engageKillSwitch({ scope, ...(scope === 'ACCOUNT' ? { accountId: accountId.trim() } : {}), reason });
      setReason('');
      const target = targetOf(result.killSwitch);
      return result.engagedNow ? `Engaged for ${target}: ${result.canceledOrders ?? 0} working orders canceled` : `Already engaged for ${target}`;
    });
  };
  const release = (s: KillSwitch): void =>
    void act(async () => {
      await releaseKillSwitch(s);
      return `Released for ${targetOf(s)}`;
    });

  const field = (name: string, label: string, input: ReactNode) => (
    <FormField id={`kill-switch-${name}`} label={label} error={errorOf(name)}>
      {input}
    </FormField>
  );

  return (
    <section className="kill-switches" aria-label="Kill switches">
      <h2>Kill switches</h2>
      <p className={global ? 'global-switch on' : 'global-switch'} data-global={global ? 'on' : 'off'}>
        Global kill switch: {global ? `ON since ${time(global.engagedAt)}, by ${global.engagedBy}: ${global.reason}` : 'off'}
      </p>
      <form className="engage" aria-label="Engage a kill switch" onSubmit={engage} noValidate>
        {field(
          'scope',
          'Scope',
          <select id="kill-switch-scope" value={scope} onChange={(e) => setScope(e.target.value as KillSwitchScope)}>
            {KILL_SWITCH_SCOPES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>,
        )}
        {field(
          'accountId',
          'Account',
          <input
            id="kill-switch-accountId"
            value={scope === 'ACCOUNT' ? accountId : ''}
            disabled={scope !== 'ACCOUNT'}
            onChange={(e) => setAccountId(e.target.value)}
            autoComplete="off"
          />,
        )}
        {field('reason', 'Reason', <input id="kill-switch-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />)}
        <button type="submit" className="danger" disabled={busy}>
          Engage kill switch
        </button>
      </form>
      <OutcomeLine outcome={outcome} />
      <table aria-label="Engaged kill switches">
        <thead>
          <tr>
            <th>Scope</th>
            <th>Account</th>
            <th>Reason</th>
            <th>Engaged by</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {switches.length === 0 && (
            <tr>
              <td colSpan={6} className="none">
                none engaged: orders flow
              </td>
            </tr>
          )}
          {switches.map((s) => (
            <tr key={`${s.scope}:${s.accountId ?? ''}`} data-scope={s.scope} data-account={s.accountId ?? ''}>
              <td>{s.scope}</td>
              <td>{s.accountId ?? 'all'}</td>
              <td className="reason">{s.reason}</td>
              <td>{s.engagedBy}</td>
              <td>{time(s.engagedAt)}</td>
              <td>
                <button type="button" disabled={busy} onClick={() => release(s)}>
                  Release
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
