// Placeholder: the feature's own engineer replaces this view. Loaded lazily by src/ui/views.tsx.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';

export default function Outreach(_props: FeatureProps) {
  return (
    <section aria-labelledby="outreach-heading">
      <Heading level={2} data-size="sm" id="outreach-heading">
        Oppsøkende tilbud
      </Heading>
      <Paragraph>Svake etterspørrere: vurdering og tilbud kommer her.</Paragraph>
    </section>
  );
}
