// Placeholder: the feature's own engineer replaces this view. Loaded lazily by src/ui/views.tsx.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';

export default function Inbox(_props: FeatureProps) {
  return (
    <section aria-labelledby="inbox-heading">
      <Heading level={2} data-size="sm" id="inbox-heading">
        Innboks
      </Heading>
      <Paragraph>Epikriser og utskrivningsmeldinger til fordeling kommer her.</Paragraph>
    </section>
  );
}
