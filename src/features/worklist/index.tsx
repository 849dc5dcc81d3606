// Placeholder: the feature's own engineer replaces this view. Loaded lazily by src/ui/views.tsx.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';

export default function Worklist(_props: FeatureProps) {
  return (
    <section aria-labelledby="worklist-heading">
      <Heading level={2} data-size="sm" id="worklist-heading">
        Arbeidsliste
      </Heading>
      <Paragraph>Oppfølging innen 3 arbeidsdager etter utskrivning og oppsøkende tilbud kommer her.</Paragraph>
    </section>
  );
}
