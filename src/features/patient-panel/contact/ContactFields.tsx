// The facts of the contact: kind, channel, minutes, travel, participants, time, journal note.
import { Checkbox, Fieldset, Radio, Textfield } from '@digdir/designsystemet-react';
import type { ContactErrors, ContactFormValues, ContactRole } from '../../../state/contactForm';
import { CHANNEL_LABELS, CHANNELS, CONTACT_KIND_DISPLAY, GP_KIND_DISPLAY, GP_KINDS, KIND_HINTS, KINDS } from './format';
import { DateField } from '../../../ui/DateField';

interface Props {
  values: ContactFormValues;
  errors: ContactErrors;
  role: ContactRole;
  disabled: boolean;
  onChange: (patch: Partial<ContactFormValues>) => void;
}

export function ContactFields({ values, errors, role, disabled, onChange }: Props) {
  // The GP picks one of his own kinds, which implies the channel (gpContactChannel); the nurse keeps hers.
  const kinds = role === 'gp' ? GP_KINDS.map((kind) => ({ kind, ...GP_KIND_DISPLAY[kind] })) : KINDS.map((kind) => ({ kind, label: CONTACT_KIND_DISPLAY[kind], hint: KIND_HINTS[kind] }));
  const showChannel = role === 'nurse' && values.kind !== 'home-visit';
  return (
    <div className="pht-contact-fields">
      <Fieldset disabled={disabled}>
        <Fieldset.Legend>Type kontakt</Fieldset.Legend>
        <div className="pht-contact-choices">
          {kinds.map(({ kind, label, hint }) => (
            <Radio
              key={kind}
              name="contact-kind"
              value={kind}
              label={label}
              description={hint}
              checked={values.kind === kind}
              onChange={() => onChange({ kind })}
            />
          ))}
        </div>
      </Fieldset>
      {showChannel && (
        <Fieldset disabled={disabled}>
          <Fieldset.Legend>Kanal</Fieldset.Legend>
          <div className="pht-contact-inline">
            {CHANNELS.map((channel) => (
              <Radio
                key={channel}
                name="contact-channel"
                value={channel}
                label={CHANNEL_LABELS[channel]}
                checked={values.channel === channel}
                onChange={() => onChange({ channel })}
              />
            ))}
          </div>
        </Fieldset>
      )}
      <div className="pht-contact-inline">
        <DateField
          label="Tidspunkt"
          kind="date-time"
          value={values.serviceTime}
          disabled={disabled}
          error={errors.serviceTime}
          onChange={(serviceTime) => onChange({ serviceTime })}
          data-testid="contact-time"
        />
        <Textfield
          label="Varighet (minutter)"
          description={role === 'nurse' ? 'Over 20 minutter gir tidstakst per påbegynte 20 minutter' : undefined}
          inputMode="numeric"
          value={values.minutes}
          disabled={disabled}
          error={errors.minutes}
          onChange={(e) => onChange({ minutes: e.target.value })}
          data-testid="contact-minutes"
        />
        {values.kind === 'group' && (
          <Textfield
            label="Antall deltakere"
            inputMode="numeric"
            value={values.participants}
            disabled={disabled}
            error={errors.participants}
            onChange={(e) => onChange({ participants: e.target.value })}
            data-testid="contact-participants"
          />
        )}
      </div>
      {values.kind === 'home-visit' && (
        <Checkbox
          label="Jeg reiste til pasienten"
          description={role === 'nurse' ? 'Gir reisetid (S6) to ganger: tur og retur' : undefined}
          checked={values.travelled}
          disabled={disabled}
          onChange={(e) => onChange({ travelled: e.target.checked })}
          data-testid="contact-travelled"
        />
      )}
      <Textfield
        label="Notat til journalen"
        multiline
        rows={3}
        value={values.note}
        disabled={disabled}
        onChange={(e) => onChange({ note: e.target.value })}
        data-testid="contact-note"
      />
    </div>
  );
}
