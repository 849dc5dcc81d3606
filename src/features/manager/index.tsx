// Placeholder: the feature's own engineer replaces this view. Loaded lazily by src/ui/views.tsx.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';

export default function Manager(_props: FeatureProps) {
  return (
    <section aria-labelledby="manager-heading">
      <Heading level={2} data-size="sm" id="manager-heading">
        Leder
      </Heading>
      <Paragraph>Takstbruk, oppgjørskontroll, fristoverholdelse og kvalitetsindikatorer kommer her.</Paragraph>
    </section>
  );
}
