import type { Me } from '../api/types.js';
import { AuditTrail } from './AuditTrail.js';
import { KillSwitchPanel } from './KillSwitchPanel.js';
import { LimitForm } from './LimitForm.js';
import { LimitsTable } from './LimitsTable.js';
import { useRisk } from './use-risk.js';

/** The risk officer's screen: kill switches (on/off with their reasons), limits per account and the audit trail. */
export function RiskView({ me }: { me: Me }) {
  const { state, refresh } = useRisk(me);
  return (
    <main className="risk-view" aria-label="Risk" aria-busy={!state.loaded}>
      {state.problems.length > 0 && (
        <div className="problems" role="alert">
          {state.problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <KillSwitchPanel switches={state.switches} onChanged={refresh} />
      <LimitsTable view={state.limits} />
      <LimitForm onChanged={refresh} />
      {state.auditReadable ? (
        <AuditTrail entries={state.audit} />
      ) : (
        <p className="muted">The audit trail is firm-wide: it needs entitlement to every account (*).</p>
      )}
    </main>
  );
}
