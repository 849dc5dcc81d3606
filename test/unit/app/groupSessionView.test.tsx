// @vitest-environment happy-dom
// The «Gruppetime» view (issue 17 item 20) with Testing Library: participants from two GP lists found by the
// patient search, each participant's egenandel before saving (SPEC §6, by hand: an adult with nothing else
// today pays kr 50; a patient whose day already has «belastet i dag: ja» recorded pays nothing), the answer
// asked where none is recorded, and a failed save that keeps everything typed and sends the SAME session id
// again. The EPJ (FhirClient: the practice's lists) and the app server (fetch: co-payment facts, days, the
// registration) are fakes.
import type { Patient, PractitionerRole } from '@medplum/fhirtypes';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import GroupSessionView from '../../../src/features/contact-copay/GroupSessionView';
import type { FhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import '../../support/dom';

const ROLES: PractitionerRole[] = [
  { resourceType: 'PractitionerRole', practitioner: { reference: 'Practitioner/nurse-1' }, organization: { reference: 'Organization/org-practice' } },
  { resourceType: 'PractitionerRole', active: true, practitioner: { reference: 'Practitioner/gp-1', display: 'Kari Lege' }, organization: { reference: 'Organization/org-practice' }, code: [{ coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.9060', code: 'LE' }] }] },
  { resourceType: 'PractitionerRole', active: true, practitioner: { reference: 'Practitioner/gp-2', display: 'Ola Lege' }, organization: { reference: 'Organization/org-practice' }, code: [{ coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.9060', code: 'LE' }] }] },
];
const PATIENTS: Patient[] = [
  { resourceType: 'Patient', id: 'p-anne', name: [{ given: ['Anne'], family: 'Aas' }], birthDate: '1950-04-01', generalPractitioner: [{ reference: 'Practitioner/gp-1' }] },
  { resourceType: 'Patient', id: 'p-bjorn', name: [{ given: ['Bjørn'], family: 'Berg' }], birthDate: '1961-08-09', generalPractitioner: [{ reference: 'Practitioner/gp-2' }] },
];

function fakeClient(): FhirClient {
  const searchAll = vi.fn(async (type: string) => {
    if (type === 'PractitionerRole') return ROLES;
    if (type === 'Patient') return PATIENTS;
    return [];
  });
  return { searchAll } as unknown as FhirClient;
}

interface Posted {
  id: string;
  topic: string;
  participants: { patientId: string; paidElsewhereToday?: boolean }[];
}

function fakeServer(opts: { failFirstPost: boolean }) {
  const posts: Posted[] = [];
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const facts = /\/patients\/([^/]+)\/copay-facts$/.exec(url);
    // The app server's reading of the EPJ: birth date, no frikort or other exemption.
    if (facts) return json({ birthDate: facts[1] === 'p-anne' ? '1950-04-01' : '1961-08-09', exemptions: [], exemptionsKnown: true });
    const day = /\/patients\/([^/]+)\/days\/(\d{4}-\d{2}-\d{2})$/.exec(url);
    if (day) {
      // Bjørn's day already has the answer «belastet i dag: ja» recorded; Anne's has nothing.
      return json({ patientId: day[1], day: day[2], rows: [], journal: {}, ...(day[1] === 'p-bjorn' ? { paidElsewhere: true } : {}) });
    }
    if (url.endsWith('/api/contact-copay/group-sessions') && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as Posted;
      posts.push(body);
      if (opts.failFirstPost && posts.length === 1) return json({ error: 'Tema: kan ha høyst 100 tegn', field: 'topic' }, 400);
      const charge = (patientId: string, charged: number, reason?: string) => ({ id: `${patientId}:S4`, contactId: `c-${patientId}`, code: 'S4', text: 'Gruppeoppfølging', charged, waived: 50 - charged, ...(reason ? { reason } : {}) });
      return json({
        sessionId: body.id,
        day: '2026-03-02',
        alreadySaved: false,
        complete: true,
        participants: [
          { patientId: 'p-anne', contactId: 'c-p-anne', status: 'registered', charge: charge('p-anne', 50) },
          { patientId: 'p-bjorn', contactId: 'c-p-bjorn', status: 'registered', charge: charge('p-bjorn', 0, 'SAME_DAY') },
        ],
      }, 201);
    }
    return json({ error: 'ukjent' }, 404);
  });
  vi.stubGlobal('fetch', fetchMock);
  return posts;
}

function show() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <GroupSessionView client={fakeClient()} session={{ handle: 'h1' } as Session} user={{ practitionerId: 'nurse-1', name: 'Siri Sykepleier', role: { role: 'nurse', practiceManager: false } }} patient={undefined} />
    </QueryClientProvider>,
  );
}

async function add(query: string, name: string) {
  fireEvent.change(screen.getByLabelText('Legg til deltaker: søk på navn eller fødselsdato'), { target: { value: query } });
  fireEvent.click(await screen.findByRole('button', { name: `Legg til ${name}` }));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date('2026-03-02T13:00:00+01:00'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('Gruppetime', () => {
  test('participants from two GP lists, each with his egenandel before saving; the result per participant', async () => {
    const posts = fakeServer({ failFirstPost: false });
    show();
    fireEvent.change(screen.getByLabelText('Tema'), { target: { value: 'Diabetesgruppe' } });
    await add('anne', 'Anne Aas');
    // By birth date, as users type it.
    await add('09.08.1961', 'Bjørn Berg');

    const preview = screen.getByTestId('group-preview');
    expect(within(screen.getByTestId('group-row-p-anne')).getByText('Kari Lege')).toBeInTheDocument();
    expect(within(screen.getByTestId('group-row-p-bjorn')).getByText('Ola Lege')).toBeInTheDocument();
    // Bjørn's recorded answer is shown and decides: nothing to pay. Anne is asked first.
    await waitFor(() => expect(within(screen.getByTestId('group-row-p-bjorn')).getByTestId('group-preview-egenandel')).toHaveTextContent('kr 0 (kr 50 frafalt): Egenandel allerede belastet i dag (teamet)'));
    expect(within(screen.getByTestId('group-row-p-anne')).getByTestId('group-preview-egenandel')).toHaveTextContent('Svar på om egenandel er belastet i dag');
    fireEvent.click(screen.getByTestId('group-register'));
    expect(await screen.findByTestId('group-errors')).toHaveTextContent('Svar på om pasienten allerede er belastet egenandel i dag for: Anne Aas.');
    expect(posts).toEqual([]);

    fireEvent.change(within(preview).getByLabelText('Belastet egenandel i dag: Anne Aas'), { target: { value: 'nei' } });
    await waitFor(() => expect(within(screen.getByTestId('group-row-p-anne')).getByTestId('group-preview-egenandel')).toHaveTextContent('kr 50 betales'));
    expect(screen.queryByTestId('group-errors')).toBeNull();

    fireEvent.click(screen.getByTestId('group-register'));
    expect(await screen.findByTestId('group-result')).toBeInTheDocument();
    expect(screen.getByTestId('group-summary')).toHaveTextContent('2 av 2 deltakere registrert, kr 50 i egenandel til sammen.');
    expect(within(screen.getByTestId('group-result-p-bjorn')).getByTestId('group-result-reason')).toHaveTextContent('Egenandel allerede belastet i dag (teamet)');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.topic).toBe('Diabetesgruppe');
    expect(posts[0]?.participants).toEqual([
      { patientId: 'p-anne', patient: { birthDate: '1950-04-01', exemptions: [] }, paidElsewhereToday: false },
      { patientId: 'p-bjorn', patient: { birthDate: '1961-08-09', exemptions: [] }, paidElsewhereToday: true },
    ]);
  });

  test('a refused save shows the server\'s message, keeps everything typed, and the retry sends the same session id', async () => {
    const posts = fakeServer({ failFirstPost: true });
    show();
    fireEvent.change(screen.getByLabelText('Tema'), { target: { value: 'KOLS-skole' } });
    fireEvent.change(screen.getByLabelText('Journalnotat (skrives i journalen til hver deltaker)'), { target: { value: 'Pusteteknikk.' } });
    await add('bjørn', 'Bjørn Berg');
    await waitFor(() => expect(within(screen.getByTestId('group-row-p-bjorn')).getByTestId('group-preview-egenandel')).toHaveTextContent('kr 0 (kr 50 frafalt)'));
    fireEvent.click(screen.getByTestId('group-register'));
    expect(await screen.findByTestId('group-save-error')).toHaveTextContent('Gruppetimen ble ikke lagret: Tema: kan ha høyst 100 tegn');
    expect(screen.getByLabelText('Tema')).toHaveValue('KOLS-skole');
    expect(screen.getByLabelText('Journalnotat (skrives i journalen til hver deltaker)')).toHaveValue('Pusteteknikk.');
    expect(screen.getByTestId('group-row-p-bjorn')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('group-register'));
    expect(await screen.findByTestId('group-result')).toBeInTheDocument();
    expect(posts).toHaveLength(2);
    expect(posts[1]?.id).toBe(posts[0]?.id);
  });
});
