// @vitest-environment happy-dom
// The contact section in a DOM, by role and label: what each role sees, the follow-up question, the save
// states in words, and the result with reasons. The EHR is the shared fake (test/support/fakeEhr.ts, msw).
import { render, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import '../../support/dom';
import { emptyFhirHandlers, FHIR_BASE } from '../../support/fakeEhr';
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

const server = setupServer(...emptyFhirHandlers());
// A fixed day (Wednesday 25 November 2026, 09:00 Oslo) instead of the real date; only Date is faked.
const NOW = new Date('2026-11-25T09:00:00+01:00');
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  server.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  vi.useRealTimers();
});

const session: Session = {
  launchKind: 'ehr',
  fhirBaseUrl: FHIR_BASE,
  accessToken: 't',
  expiresAt: NOW.getTime() + 3600_000,
  grantedScopes: ['user/ChargeItem.crus'],
  requestedScopes: [],
  patientId: 'pat-1',
  needPatientBanner: true,
};
const patient = { id: 'pat-1', name: 'Kari Nordmann', birthDate: '1950-01-01' };

function section(role: TeamRole, extra: Partial<Parameters<typeof ContactSection>[0]> = {}) {
  // A client per render: the section caches the day's data per client and patient.
  const client = createFhirClient(session);
  return render(<ContactSection client={client} session={session} user={{ practitionerId: `${role}-1`, name: 'N N', role: { role, practiceManager: false } }} patient={patient} {...extra} />);
}

/** Holds every Coverage search until released: the patient's exemptions are then "still being read". */
function holdCoverage(): () => void {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  server.use(http.get(`${FHIR_BASE}/Coverage`, async () => {
    await gate;
    return HttpResponse.json({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });
  }));
  return release;
}

/** The day's data has arrived from the fake EHR (an event to wait for: no request is left in flight). */
async function dayLoaded(): Promise<void> {
  await screen.findByText('Ingen egenandel er tatt denne dagen ennå.');
}

describe('ContactSection', () => {
  test('nurse: kinds and channels in bokmål, a live suggestion with demo egenandel, save waits for the patient facts', async () => {
    const release = holdCoverage();
    section('nurse');
    for (const label of ['Enkel pasientkontakt', 'Hjemmebesøk', 'Gruppeoppfølging', 'Tverrfaglig møte', 'Teamkonsultasjon', 'Oppmøte', 'Telefon', 'Video', 'Skriftlig']) {
      expect(screen.getByRole('radio', { name: label })).toBeInTheDocument();
    }
    // SPEC §5: a simple contact by the nurse is S1a, kr 69 from HELFO, kr 50 egenandel (a demo value).
    const line = screen.getByTestId('tariff-line-S1a');
    expect(line).toHaveTextContent('kr 69');
    expect(line).toHaveTextContent('kr 50');
    expect(line).toHaveTextContent('demo');
    expect(screen.getByText(/Egenandelene er demoverdier/)).toBeInTheDocument();
    expect(screen.getByText(/Henter pasientens egenandelsfritak/)).toBeInTheDocument();
    expect(screen.getByTestId('contact-save')).toBeDisabled();

    release();
    await expect.poll(() => (screen.getByTestId('contact-save') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByText(/Henter pasientens egenandelsfritak/)).not.toBeInTheDocument();
    // No exemption and nothing charged today (the fake EHR finds nothing): she pays the S1a egenandel (SPEC §6).
    expect(screen.getByText('Pasienten betaler kr 50 i egenandel for denne kontakten.')).toBeInTheDocument();
  });

  test('GP: the GP tariff is suggested', async () => {
    section('gp');
    await dayLoaded();
    const line = screen.getByTestId('tariff-line-2ad');
    expect(line).toHaveTextContent('Konsultasjon hos lege, dagtid');
    expect(line).toHaveTextContent('kr 300');
  });

  test('discharge follow-up: the epikrise, the medication question, a phone follow-up', async () => {
    section('nurse', { followUp: { taskId: 'task-1', epikrise: 'Innlagt for pneumoni. Ny medisin: amoksicillin.' } });
    await dayLoaded();
    expect(screen.getByRole('heading', { name: 'Registrer oppfølging etter utskrivning' })).toBeInTheDocument();
    expect(screen.getByText('Innlagt for pneumoni. Ny medisin: amoksicillin.')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: MEDICATION_QUESTION })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Telefon' })).toBeChecked();
    expect(screen.getByRole('radio', { name: /oppfølging/i, checked: true })).toHaveAttribute('value', 'follow-up');
  });

  test('secretary: no form; no patient: a hint', async () => {
    section('secretary');
    await dayLoaded();
    expect(screen.getByText('Kontakter registreres av fastlege eller sykepleier.')).toBeInTheDocument();
    expect(screen.queryByTestId('contact-save')).not.toBeInTheDocument();
    section('nurse', { patient: undefined });
    expect(screen.getByText(/Velg en pasient/)).toBeInTheDocument();
  });
});

describe('SaveControls', () => {
  const noop = () => undefined;
  test('error: in words, with a retry, and the promise that nothing was lost', () => {
    render(
      <SaveControls save={{ status: 'error', error: { message: 'Får ikke kontakt med journalsystemet.', action: 'Sjekk nettverkstilkoblingen og prøv igjen.' } }} invalid={false} onSave={noop} onAnswer={noop} />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Kontakten ble ikke lagret. Får ikke kontakt med journalsystemet.');
    expect(alert).toHaveTextContent('Det du har skrevet er tatt vare på');
    expect(screen.getByRole('button', { name: /Prøv igjen/ })).toBeEnabled();
  });

  test('needs-answer: the question with Ja and Nei', () => {
    render(<SaveControls save={{ status: 'needs-answer', question: 'Har pasienten allerede betalt egenandel i dag?' }} invalid={false} onSave={noop} onAnswer={noop} />);
    const group = screen.getByRole('group', { name: 'Har pasienten allerede betalt egenandel i dag?' });
    expect(within(group).getByRole('button', { name: /Ja, allerede betalt/ })).toBeInTheDocument();
    expect(within(group).getByRole('button', { name: 'Nei' })).toBeInTheDocument();
  });

  test('saving: progress as a status', () => {
    render(<SaveControls save={{ status: 'saving' }} invalid={false} onSave={noop} onAnswer={noop} />);
    expect(screen.getByRole('status')).toHaveTextContent('Lagrer kontakten');
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
    render(<SaveResult result={result} onNew={() => undefined} />);
    expect(screen.getByText(/Kontakten er lagret/)).toBeInTheDocument();
    expect(screen.getByText('Pasienten betaler ingen egenandel for denne kontakten: Egenandel allerede betalt i dag (teamet).')).toBeInTheDocument();
    const row = screen.getByTestId('charge-2ad');
    for (const text of ['10:00', 'Fastlege', 'kr 0 (kr 160 frafalt)', 'Egenandel allerede betalt i dag (teamet)']) expect(row).toHaveTextContent(text);
    expect(screen.queryByTestId('charge-S3')).not.toBeInTheDocument();
    expect(screen.getByText(/Skriv notatet i journalen/)).toBeInTheDocument();
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
