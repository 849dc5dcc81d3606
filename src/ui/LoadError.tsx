import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { describeError } from '../fhir/errors';

interface Props {
  /** What could not be loaded, as it reads after "Kunne ikke laste": "innboksen", "arbeidslisten". */
  what: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failed load in words (what happened, what to do) with a retry: one message shape for every view. */
export function LoadError({ what, error, onRetry }: Props) {
  const text = describeError(error);
  return (
    <Alert data-color="danger" role="alert">
      <Paragraph>
        Kunne ikke laste {what}: {text.message} {text.action}
      </Paragraph>
      {onRetry && (
        <Button data-size="sm" onClick={onRetry}>
          Prøv igjen
        </Button>
      )}
    </Alert>
  );
}
