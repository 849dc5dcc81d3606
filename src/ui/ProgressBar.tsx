// A labelled progress bar (native <progress>, so screen readers announce it) with an optional cancel.
import { Button } from '@digdir/designsystemet-react';

interface Props {
  label: string;
  /** Done / total; total 0 or undefined shows an indeterminate bar. */
  done: number;
  total: number | undefined;
  onCancel?: () => void;
  cancelLabel?: string;
}

export function ProgressBar({ label, done, total, onCancel, cancelLabel = 'Avbryt' }: Props) {
  const known = total !== undefined && total > 0;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div className="pht-progress" data-testid="progress" style={{ display: 'flex', alignItems: 'center', gap: 'var(--ds-size-3)', flexWrap: 'wrap' }}>
      <label style={{ display: 'flex', flexDirection: 'column', gap: 'var(--ds-size-1)', minWidth: '18rem' }}>
        <span aria-live="polite">
          {label}
          {percent !== undefined ? ` (${percent} %)` : ''}
        </span>
        {known ? <progress max={total} value={Math.min(done, total)} style={{ width: '100%' }} /> : <progress style={{ width: '100%' }} />}
      </label>
      {onCancel && (
        <Button variant="secondary" data-size="sm" onClick={onCancel} data-testid="progress-cancel">
          {cancelLabel}
        </Button>
      )}
    </div>
  );
}
