// Discharge follow-up (SPEC §4): the epikrise for reference, and the question whose "Ja" makes a task for
// the GP (created by the follow-up feature from onSaved).
import { Fieldset, Heading, Paragraph, Radio, ValidationMessage } from '@digdir/designsystemet-react';

export const MEDICATION_QUESTION = 'Bør fastlegen vurdere endringene i legemidlene?';

interface Props {
  epikrise?: string;
  value: boolean | undefined;
  error?: string;
  disabled: boolean;
  onChange: (value: boolean) => void;
}

export function FollowUpQuestion({ epikrise, value, error, disabled, onChange }: Props) {
  return (
    <div className="pht-contact-followup" data-testid="contact-followup">
      {epikrise ? (
        <section className="pht-contact-epikrise" aria-labelledby="contact-epikrise-heading" data-testid="contact-epikrise">
          <Heading level={4} data-size="xs" id="contact-epikrise-heading">
            Epikrise
          </Heading>
          <Paragraph data-size="sm">{epikrise}</Paragraph>
        </section>
      ) : (
        <Paragraph data-size="sm">Epikrisen er ikke tilgjengelig i appen; les den i journalen.</Paragraph>
      )}
      <Fieldset disabled={disabled}>
        <Fieldset.Legend>{MEDICATION_QUESTION}</Fieldset.Legend>
        <div className="pht-contact-inline">
          <Radio name="medication-needs-gp" label="Ja" value="yes" checked={value === true} onChange={() => onChange(true)} />
          <Radio name="medication-needs-gp" label="Nei" value="no" checked={value === false} onChange={() => onChange(false)} />
        </div>
        {error && <ValidationMessage>{error}</ValidationMessage>}
      </Fieldset>
    </div>
  );
}
