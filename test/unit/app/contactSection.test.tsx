// The contact section's markup (react-dom/server; no DOM library in the project): what each role sees,
// the follow-up question, the save states in words, and the result with reasons.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { createFhirClient } from '../../../src/fhir/client';
import type { RegisterContactSaved } from '../../../src/fhir/contacts';
import type { TeamRole } from '../../../src/fhir/roles';
import type { Session } from '../../../src/fhir/session';
import type { TodaysCharges } from '../../../src/fhir/todaysCharges';
import { ContactSection, MEDICATION_QUESTION } from '../../../src/features/patient-panel/contact';
import { formatKr, formatOsloTime } from '../../../src/features/patient-panel/contact/format';
import { SaveControls } from '../../../src/features/patient-panel/contact/SaveControls';
import { SaveResult } from '../../../src/features/patient-panel/contact/SaveResult';
import { bearerText } from '../../../src/features/patient-panel/contact/TodaysChargesPanel';

const session: Session = {
  launchKind: 'ehr',
  fhirBaseUrl: 'http://localhost:8103/fhir',
  accessToken: 't',
  expiresAt: Date.now() + 3600_000,
  grantedScopes: ['user/ChargeItem.crus'],
  requestedScopes: [],
  patientId: 'pat-1',
  needPatientBanner: true,
};
const client = createFhirClient(session);
const patient = { id: 'pat-1', name: 'Kari Nordmann', birthDate: '1950-01-01' };

function section(role: TeamRole, extra: Partial<Parameters<typeof ContactSection>[0]> = {}): string {
  return renderToStaticMarkup(
    <ContactSection client={client} session={session} user={{ practitionerId: `${role}-1`, name: 'N N', role: { role, practiceManager: false } }} patient={patient} {...extra} />,
  );
}

describe('ContactSection', () => {
  test('nurse: kinds and channels in bokmål, a live suggestion with demo egenandel, save waits for the patient facts', () => {
    const html = section('nurse');
    for (const label of ['Enkel pasientkontakt', 'Hjemmebesøk', 'Gruppeoppfølging', 'Tverrfaglig møte', 'Teamkonsultasjon', 'Oppmøte', 'Telefon', 'Video', 'Skriftlig']) {
      expect(html).toContain(label);
    }
    expect(html).toContain('<legend');
    expect(html).toMatch(/data-testid="tariff-line-S1a"[\s\S]*kr 69[\s\S]*kr 50[\s\S]*demo/);
    expect(html).toContain('Egenandelene er demoverdier');
    expect(html).toContain('Henter pasientens egenandelsfritak');
    expect(html).toMatch(/<button[^>]*type="submit"[^>]*disabled=""[^>]*data-testid="contact-save"/);
  });

  test('GP: the GP tariff is suggested', () => {
    expect(section('gp')).toMatch(/data-testid="tariff-line-2ad"[\s\S]*Konsultasjon hos lege, dagtid[\s\S]*kr 300/);
  });

  test('discharge follow-up: the epikrise, the medication question, a phone follow-up', () => {
    const html = section('nurse', { followUp: { taskId: 'task-1', epikrise: 'Innlagt for pneumoni. Ny medisin: amoksicillin.' } });
    expect(html).toContain('Registrer oppfølging etter utskrivning');
    expect(html).toContain('Innlagt for pneumoni. Ny medisin: amoksicillin.');
    expect(html).toContain(MEDICATION_QUESTION);
    expect(html).toMatch(/checked="" value="follow-up"/);
    expect(html).toMatch(/checked="" value="phone"/);
  });

  test('secretary: no form; no patient: a hint', () => {
    const html = section('secretary');
    expect(html).toContain('Kontakter registreres av fastlege eller sykepleier.');
    expect(html).not.toContain('contact-save');
    expect(section('nurse', { patient: undefined })).toContain('Velg en pasient');
  });
});

describe('SaveControls', () => {
  const noop = () => undefined;
  test('error: in words, with a retry, and the promise that nothing was lost', () => {
    const html = renderToStaticMarkup(
      <SaveControls save={{ status: 'error', error: { message: 'Får ikke kontakt med journalsystemet.', action: 'Sjekk nettverkstilkoblingen og prøv igjen.' } }} invalid={false} onSave={noop} onAnswer={noop} />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('Kontakten ble ikke lagret. Får ikke kontakt med journalsystemet.');
    expect(html).toContain('Prøv igjen');
    expect(html).toContain('Det du har skrevet er tatt vare på');
  });

  test('needs-answer: the question with Ja and Nei', () => {
    const html = renderToStaticMarkup(<SaveControls save={{ status: 'needs-answer', question: 'Har pasienten allerede betalt egenandel i dag?' }} invalid={false} onSave={noop} onAnswer={noop} />);
    expect(html).toMatch(/<legend[^>]*>Har pasienten allerede betalt egenandel i dag\?<\/legend>/);
    expect(html).toContain('Ja, allerede betalt');
    expect(html).toContain('>Nei<');
  });

  test('saving: progress as a status', () => {
    const html = renderToStaticMarkup(<SaveControls save={{ status: 'saving' }} invalid={false} onSave={noop} onAnswer={noop} />);
    expect(html).toMatch(/role="status"[\s\S]*Lagrer kontakten/);
  });
});

describe('SaveResult', () => {
  test("the GP's consultation after the nurse's home visit: egenandel 0 with the reason", () => {
    const result: RegisterContactSaved = {
      status: 'saved',
      contactId: 'c2',
      created: ['c2:2ad'],
      alreadySaved: false,
      day: [
        { id: 'c1:S3', code: 'S3', at: '2026-03-10T09:00:00+01:00', ours: true, settled: false, charged: 100, waived: 0 },
        { id: 'c2:2ad', code: '2ad', at: '2026-03-10T10:00:00+01:00', ours: true, settled: false, charged: 0, waived: 160, reason: 'SAME_DAY', reasonLabel: 'Egenandel allerede betalt i dag (teamet)' },
      ],
      bearer: 'c1:S3',
      refunds: [],
      note: 'not-allowed',
      issues: [],
      stats: { attempts: 1, conflicts: 0, transientRetries: 0, reads: 1, ms: 3 },
    };
    const html = renderToStaticMarkup(<SaveResult result={result} onNew={() => undefined} />);
    expect(html).toContain('Kontakten er lagret');
    expect(html).toContain('Pasienten betaler ingen egenandel for denne kontakten: Egenandel allerede betalt i dag (teamet).');
    expect(html).toMatch(/data-testid="charge-2ad"[\s\S]*10:00[\s\S]*Fastlege[\s\S]*kr 0 \(kr 160 frafalt\)[\s\S]*Egenandel allerede betalt i dag \(teamet\)/);
    expect(html).not.toContain('charge-S3');
    expect(html).toContain('Skriv notatet i journalen');
  });
});

describe('today in words', () => {
  const base: TodaysCharges = { day: '2026-03-10', rows: [], gpChargesVisible: true, dayCharges: [], issues: [] };
  test.each<[string, TodaysCharges, string]>([
    ['nobody yet', base, 'Ingen egenandel er tatt denne dagen ennå.'],
    [
      'the bearer',
      { ...base, bearerId: 'c1:S3', rows: [{ id: 'c1:S3', code: 'S3', performer: 'Sykepleier', at: '2026-03-10T09:05:00+01:00', ours: true, cancelled: false, settled: false, charged: 100, waived: 0 }] },
      'Egenandelen bæres av S3 (sykepleier) kl. 09:05: kr 100.',
    ],
    ['frikort', { ...base, exemption: { code: 'F', label: 'Frikort' } }, 'Pasienten betaler ingen egenandel denne dagen: Frikort.'],
    ['answered yes', { ...base, paidElsewhere: true }, 'Registrert svar: pasienten hadde allerede betalt egenandel denne dagen.'],
  ])('%s', (_name, data, text) => {
    expect(bearerText(data)).toBe(text);
  });

  test('formats', () => {
    expect([formatKr(0), formatKr(1234), formatKr(99.5), formatKr(415564)]).toEqual(['kr 0', 'kr 1 234', 'kr 99,50', 'kr 415 564']);
    expect([formatOsloTime('2026-03-10T08:05:00Z'), formatOsloTime('2026-07-10T22:30:00Z'), formatOsloTime(undefined)]).toEqual(['09:05', '00:30', '–']);
  });
});
