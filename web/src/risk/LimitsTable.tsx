import type { AccountLimits, RiskLimits } from '../api/risk-client.js';
import type { LimitsView } from './use-risk.js';

import { LIMIT_COLUMNS as COLUMNS, type LimitName } from './limit-columns.js';

const shown = (value: RiskLimits[LimitName]): string => {
  if (value === undefined) return '';
  if (value === null) return 'none';
  return Array.isArray(value) ? value.join(' ') || '—' : String(value);
};

function Row({ label, limits, overrides, by, at }: { label: string; limits: RiskLimits; overrides?: RiskLimits; by?: string | null; at?: string | null }) {
  return (
    <tr data-account={label}>
      <th scope="row">{label}</th>
      {COLUMNS.map(({ name }) => {
        const own = overrides !== undefined && overrides[name] !== undefined;
        return (
          <td key={name} className={own ? 'override' : undefined} title={own ? "the account's own" : undefined}>
            {shown(limits[name])}
          </td>
        );
      })}
      <td>{by ?? ''}</td>
      <td>{at ? at.replace('T', ' ').slice(0, 19) : ''}</td>
    </tr>
  );
}

/** Pre-trade limits: the firm's defaults, then each account with its own, effective (its own in bold); LimitForm changes them. */
export function LimitsTable({ view }: { view: LimitsView }) {
  return (
    <section className="limits" aria-label="Limits">
      <h2>Limits per account</h2>
      {view.knownAccounts !== undefined && (
        <p className="muted">Accounts that may trade: {view.knownAccounts === 'ANY' ? 'any' : view.knownAccounts.join(', ')}</p>
      )}
      <table aria-label="Limits per account">
        <thead>
          <tr>
            <th>Account</th>
            {COLUMNS.map((c) => (
              <th key={c.name}>{c.header}</th>
            ))}
            <th>Set by</th>
            <th>At</th>
          </tr>
        </thead>
        <tbody>
          {view.defaults && <Row label="defaults" limits={view.defaults} />}
          {view.accounts.map((a: AccountLimits) => (
            <Row key={a.accountId} label={a.accountId} limits={a.limits} overrides={a.overrides} by={a.updatedBy} at={a.updatedAt} />
          ))}
        </tbody>
      </table>
      {view.defaults && view.accounts.length === 0 && <p className="muted">No account has limits of its own: every account trades under the defaults.</p>}
    </section>
  );
}
