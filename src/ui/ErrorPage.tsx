import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { describeError } from '../fhir/errors';
import { isLaunchError } from '../fhir/launch';

/** A whole-page error: what happened, and how to get going again (usually: relaunch from the EHR). */
export function ErrorPage({ error }: { error: unknown }) {
  const text = describeError(error);
  const detail = isLaunchError(error) ? error.detail : undefined;
  return (
    <main id="main" className="pht-error-page" tabIndex={-1}>
      <Alert data-color="danger" role="alert">
        <Heading level={2} data-size="xs">
          {text.title ?? 'Noe gikk galt'}
        </Heading>
        <Paragraph>{text.message}</Paragraph>
        <Paragraph>
          <strong>Slik kommer du videre:</strong> {text.action}
        </Paragraph>
        {detail && <Paragraph data-size="sm">Teknisk detalj: {detail}</Paragraph>}
      </Alert>
    </main>
  );
}
