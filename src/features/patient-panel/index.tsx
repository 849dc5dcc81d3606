// Placeholder: the feature's own engineer replaces this view. Loaded lazily by src/ui/views.tsx.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';

export default function PatientPanel(_props: FeatureProps) {
  return (
    <section aria-labelledby="patient-panel-heading">
      <Heading level={2} data-size="sm" id="patient-panel-heading">
        Pasientpanel
      </Heading>
      <Paragraph>Kandidater til målgrupper med begrunnelse, oppfølginger og dagens egenandeler for pasienten kommer her.</Paragraph>
    </section>
  );
}
