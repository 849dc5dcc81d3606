import { Spinner } from '@digdir/designsystemet-react';

export function Loading({ text }: { text: string }) {
  return (
    <div className="pht-loading" role="status" aria-live="polite">
      <Spinner aria-hidden="true" data-size="lg" />
      <span>{text}</span>
    </div>
  );
}
