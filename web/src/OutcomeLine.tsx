/** What a form's last action came to: done (ok) or refused (error), as the page says it. */
export interface Outcome {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** The line under a form that says its outcome (a status region, read out by screen readers). */
export function OutcomeLine({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  return (
    <p className={`outcome ${outcome.kind}`} role="status">
      {outcome.text}
    </p>
  );
}
