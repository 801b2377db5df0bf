import type { AuditEntry } from '../api/risk-client.js';

/** Every change to limits and kill switches, newest first: who, what, when. */
export function AuditTrail({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <section className="audit" aria-label="Audit trail">
      <h2>Audit trail</h2>
      <table aria-label="Risk audit trail">
        <thead>
          <tr>
            <th>Time</th>
            <th>Action</th>
            <th>Scope</th>
            <th>Account</th>
            <th>Actor</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{e.occurredAt.replace('T', ' ').slice(0, 23)}</td>
              <td>{e.action}</td>
              <td>{e.scope}</td>
              <td>{e.accountId ?? ''}</td>
              <td>{e.actor}</td>
              <td className="json">{JSON.stringify(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
