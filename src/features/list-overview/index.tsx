// Placeholder: the feature's own engineer replaces this view. Loaded lazily by src/ui/views.tsx.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';

export default function ListOverview(_props: FeatureProps) {
  return (
    <section aria-labelledby="list-overview-heading">
      <Heading level={2} data-size="sm" id="list-overview-heading">
        Listeoversikt
      </Heading>
      <Paragraph>Oversikt over listen og andelen i målgruppene kommer her.</Paragraph>
    </section>
  );
}
