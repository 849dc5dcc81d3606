import { Heading } from '@digdir/designsystemet-react';
import type { PatientSummary } from '../fhir/sessionContext';
import { ageInYears, formatNationalId, osloToday } from './format';

interface Props {
  patient: PatientSummary;
  /** From src/fhir/privacy.ts: the address, or «Adressen er skjermet» for a protected one (SPEC §8). */
  address?: string | undefined;
  now?: Date;
}

/** Who the screen is about, always visible (SMART need_patient_banner). */
export function PatientBanner({ patient, address, now = new Date() }: Props) {
  const age = patient.birthDate ? ageInYears(patient.birthDate, osloToday(now)) : undefined;
  const idLabel = patient.nationalIdKind === 'dnr' ? 'D-nummer' : 'Fødselsnummer';
  return (
    <section className="pht-patient-banner" aria-labelledby="pht-patient-name" data-testid="patient-banner">
      <Heading level={2} data-size="sm" id="pht-patient-name">
        {patient.name}
      </Heading>
      <dl className="pht-patient-facts">
        {patient.nationalId && (
          <div>
            <dt>{idLabel}</dt>
            <dd data-testid="patient-national-id">{formatNationalId(patient.nationalId)}</dd>
          </div>
        )}
        {age !== undefined && (
          <div>
            <dt>Alder</dt>
            <dd>{age} år</dd>
          </div>
        )}
        {address !== undefined && (
          <div>
            <dt>Adresse</dt>
            <dd data-testid="patient-address">{address}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
