// @vitest-environment happy-dom
// The «Årskontroll» view (issue 17 items 18 and 21) in a DOM against a fake /api/care: the recall list with
// last check and who, the states innkalt -> time bestilt -> gjennomført by button, the secretary's narrower
// view, the patient search and group filter, the server's refusal in words, and the printable sheet.
// Expected texts are written by hand from the issue and GLOSSARY (dd.mm.åååå).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import '../../support/dom';
import Recall, { recallSteps } from '../../../src/features/care/Recall';
import { printPhone } from '../../../src/ui/PrintSheet';
import type { RecallRow } from '../../../src/features/care/api';
import type { FhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import type { CurrentUser } from '../../../src/fhir/roles';

const AS_OF = '2026-12-02';

function rowsFor(): RecallRow[] {
  return [
    { patientId: 'p1', name: 'Kjell Sørensen', birthDate: '1950-04-11', phone: '911 22 333', groups: ['Diabetes'], lastCheck: null, lastCheckedBy: null, due: null, urgency: 'due', state: null, stateLabel: null, stateDate: null },
    { patientId: 'p2', name: 'Åse Lie', birthDate: '1948-09-30', phone: null, groups: ['KOLS'], lastCheck: '2025-10-01', lastCheckedBy: 'Ola Lege', due: '2026-10-01', urgency: 'overdue', state: 'called', stateLabel: 'innkalt', stateDate: '2026-11-20' },
    { patientId: 'p3', name: 'Per Hansen', birthDate: '1960-01-15', phone: '922 00 111', groups: ['Diabetes', 'Hjertesvikt'], lastCheck: '2025-12-20', lastCheckedBy: 'Practitioner/n9', due: '2026-12-20', urgency: 'due', state: 'booked', stateLabel: 'time bestilt', stateDate: '2026-12-15' },
  ];
}

interface Posted {
  patientId: string;
  body: { id: string; state: string; date: string };
}

/** A fake app server: the recall list, events that move a row on, and (optionally) a refusal. */
const ALL_GROUPS = [
  { id: 'diabetes', label: 'Diabetes' },
  { id: 'kols', label: 'KOLS' },
  { id: 'heart-failure', label: 'Hjertesvikt' },
  { id: 'asthma', label: 'Astma' },
];

function fakeServer(opts: { secretary?: boolean; refuse?: string; refuseSettings?: string } = {}) {
  const rows = rowsFor().map((r) => (opts.secretary ? { ...r, groups: undefined } : r));
  const posted: Posted[] = [];
  const saved: unknown[] = [];
  let groups = ['diabetes', 'kols', 'heart-failure'];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.startsWith('/api/care/recall/settings') && init?.method === 'PUT') {
      if (opts.refuseSettings) return json({ error: opts.refuseSettings }, 403);
      const body = JSON.parse(String(init.body)) as { groups: string[] };
      saved.push(body);
      groups = body.groups;
      return json(body);
    }
    if (url.startsWith('/api/care/recall/settings')) return json({ groups, all: ALL_GROUPS });
    if (url.startsWith('/api/care/recall') && (init?.method ?? 'GET') === 'GET') {
      return json({ asOf: AS_OF, groups: ['diabetes', 'kols', 'heart-failure'], rows: rows.map((r) => ({ ...r })) });
    }
    const m = /^\/api\/care\/recall\/([^/]+)\/events$/.exec(url);
    if (m && init?.method === 'POST') {
      if (opts.refuse) return json({ error: opts.refuse }, 403);
      const body = JSON.parse(String(init.body)) as Posted['body'];
      posted.push({ patientId: m[1] ?? '', body });
      const i = rows.findIndex((r) => r.patientId === m[1]);
      const row = rows[i];
      if (row && body.state === 'done') rows.splice(i, 1); // checked today: no longer due
      else if (row) Object.assign(row, { state: body.state, stateLabel: body.state === 'called' ? 'innkalt' : 'time bestilt', stateDate: body.date });
      return json({ patientId: m[1] }, 201);
    }
    return json({ error: 'ukjent' }, 404);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { posted, saved, fetchMock };
}

// The user's own EPJ access: her role's practice, and the name of a practitioner the server could not name.
const client = {
  searchAll: async (type: string) =>
    type === 'Practitioner'
      ? [{ resourceType: 'Practitioner', id: 'n9', name: [{ given: ['Nina'], family: 'Nilsen' }] }]
      : [{ resourceType: 'PractitionerRole', organization: { reference: 'Organization/org-1', display: 'Torshov legesenter' } }],
  read: async () => ({ resourceType: 'Organization', name: 'Torshov legesenter' }),
} as unknown as FhirClient;

function cleanupAndShow(role: CurrentUser['role']) {
  cleanup();
  show(role);
}

function show(role: CurrentUser['role']) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const user: CurrentUser = { practitionerId: 'u1', name: 'Ola Lege', role };
  render(
    <QueryClientProvider client={queryClient}>
      <Recall client={client} session={{ handle: 'h1' } as unknown as Session} user={user} patient={undefined} />
    </QueryClientProvider>,
  );
}

const GP = { role: 'gp', practiceManager: false } as const;
const MANAGER = { role: 'gp', practiceManager: true } as const;
const SECRETARY = { role: 'secretary', practiceManager: false } as const;

const table = () => screen.getByRole('table', { name: 'Innkallingsliste til årskontroll' });
const rowOf = (name: string) => within(table()).getByRole('row', { name: new RegExp(`^${name},`) });

// happy-dom lays nothing out; the virtualised table renders the rows that fit its scroll box, so the box
// gets a size (clientHeight/clientWidth are 0 otherwise).
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 640 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('recallSteps', () => {
  test.each([
    [null, true, ['called', 'done']],
    ['called', true, ['booked', 'done']],
    ['booked', true, ['done']],
    [null, false, ['called', 'booked']],
    ['called', false, ['booked']],
    ['booked', false, []],
  ] as const)('state %s, clinical %s -> %o', (state, clinical, expected) => {
    expect(recallSteps(state, clinical)).toEqual(expected);
  });
});

describe('printPhone', () => {
  test.each([
    ['+47 981 54 500', '+47 981\u00a054\u00a0500'],
    ['911 22 333', '911\u00a022\u00a0333'],
    ['  22334455 ', '22334455'],
  ])('%s -> %s', (phone, expected) => expect(printPhone(phone)).toBe(expected));
});

describe('«Årskontroll» view', () => {
  test('the GP sees who is due, the last check and who did it, the groups and the state', async () => {
    fakeServer();
    show(GP);
    await screen.findByRole('table', { name: 'Innkallingsliste til årskontroll' });
    expect(screen.getByTestId('recall-summary')).toHaveTextContent('3 pasienter: 1 forfalt, 2 skal kalles inn nå.');
    const lie = rowOf('Åse Lie');
    expect(lie).toHaveTextContent('01.10.2025');
    expect(lie).toHaveTextContent('Ola Lege');
    expect(lie).toHaveTextContent('Forfalt');
    expect(lie).toHaveTextContent('KOLS');
    expect(within(lie).getByTestId('recall-state')).toHaveAttribute('data-state', 'Innkalt 20.11.2026');
    const kjell = rowOf('Kjell Sørensen');
    expect(kjell).toHaveTextContent('Ingen');
    expect(kjell).toHaveTextContent('Skal kalles innNå');
    expect(kjell).toHaveTextContent('Ikke innkalt');
    expect(within(kjell).getByRole('button', { name: 'Innkalt: Kjell Sørensen' })).toBeInTheDocument();
    expect(within(kjell).getByRole('button', { name: 'Gjennomført: Kjell Sørensen' })).toBeInTheDocument();
    expect(within(table()).getByRole('columnheader', { name: 'Grupper' })).toBeInTheDocument();
    // A reference the server could not name is named from the EPJ, never shown raw.
    await waitFor(() => expect(rowOf('Per Hansen')).toHaveTextContent('Nina Nilsen'));
    expect(table()).not.toHaveTextContent('Practitioner/');
  });

  test('innkalt, then time bestilt with the appointment date, then gjennomført', async () => {
    const { posted } = fakeServer();
    show(GP);
    await screen.findByRole('table', { name: 'Innkallingsliste til årskontroll' });

    fireEvent.click(within(rowOf('Kjell Sørensen')).getByRole('button', { name: 'Innkalt: Kjell Sørensen' }));
    await waitFor(() => expect(within(rowOf('Kjell Sørensen')).getByTestId('recall-state')).toHaveAttribute('data-state', 'Innkalt 02.12.2026'));
    expect(posted.at(-1)).toMatchObject({ patientId: 'p1', body: { state: 'called', date: '2026-12-02' } });
    expect(screen.getByTestId('recall-saved')).toHaveTextContent('Kjell Sørensen: innkalt 02.12.2026.');

    fireEvent.click(within(rowOf('Kjell Sørensen')).getByRole('button', { name: 'Time bestilt: Kjell Sørensen' }));
    const form = screen.getByRole('form', { name: 'Time bestilt for Kjell Sørensen' });
    fireEvent.click(within(form).getByRole('button', { name: 'Lagre' }));
    expect(await within(form).findByText(/Dato for timen: skriv datoen som dd\.mm\.åååå/)).toBeInTheDocument();
    expect(posted).toHaveLength(1);
    fireEvent.change(within(form).getByLabelText('Dato for timen'), { target: { value: '10.12.2026' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Lagre' }));
    await waitFor(() => expect(within(rowOf('Kjell Sørensen')).getByTestId('recall-state')).toHaveAttribute('data-state', 'Time bestilt 10.12.2026'));
    expect(posted.at(-1)).toMatchObject({ patientId: 'p1', body: { state: 'booked', date: '2026-12-10' } });
    expect(screen.queryByRole('form', { name: 'Time bestilt for Kjell Sørensen' })).toBeNull();
    expect(within(rowOf('Kjell Sørensen')).queryByRole('button', { name: 'Time bestilt: Kjell Sørensen' })).toBeNull();

    fireEvent.click(within(rowOf('Kjell Sørensen')).getByRole('button', { name: 'Gjennomført: Kjell Sørensen' }));
    await waitFor(() => expect(within(table()).queryByRole('row', { name: /^Kjell Sørensen,/ })).toBeNull());
    expect(posted.at(-1)).toMatchObject({ patientId: 'p1', body: { state: 'done', date: '2026-12-02' } });
    expect(screen.getByTestId('recall-saved')).toHaveTextContent('Kjell Sørensen: gjennomført 02.12.2026. Neste årskontroll om tolv måneder.');
    // Every recorded step had its own client id.
    expect(new Set(posted.map((p) => p.body.id)).size).toBe(3);
  });

  test('the secretary calls in and books, sees no groups and cannot record the check as done', async () => {
    fakeServer({ secretary: true });
    show(SECRETARY);
    await screen.findByRole('table', { name: 'Innkallingsliste til årskontroll' });
    expect(within(table()).queryByRole('columnheader', { name: 'Grupper' })).toBeNull();
    expect(screen.queryByText(/Diabetes|KOLS|Hjertesvikt/)).toBeNull();
    expect(screen.queryByRole('button', { name: /^Gjennomført/ })).toBeNull();
    expect(within(rowOf('Kjell Sørensen')).getByRole('button', { name: 'Innkalt: Kjell Sørensen' })).toBeInTheDocument();
    expect(within(rowOf('Kjell Sørensen')).getByRole('button', { name: 'Time bestilt: Kjell Sørensen' })).toBeInTheDocument();
    expect(rowOf('Per Hansen')).toHaveTextContent('Venter på kontrollen');
    expect(screen.queryByLabelText('Gruppe')).toBeNull();
    expect(screen.getByText(/legen eller sykepleieren registrerer gjennomført kontroll/)).toBeInTheDocument();
  });

  test('search by name without ø, by birth date, and the group filter', async () => {
    fakeServer();
    show(GP);
    await screen.findByRole('table', { name: 'Innkallingsliste til årskontroll' });
    const search = screen.getByRole('searchbox', { name: 'Søk etter pasient (navn eller fødselsdato)' });
    fireEvent.change(search, { target: { value: 'sorensen' } });
    expect(within(table()).getAllByRole('row').slice(1).map((r) => r.getAttribute('aria-label')?.split(',')[0])).toEqual(['Kjell Sørensen']);
    fireEvent.change(search, { target: { value: '30.09.1948' } });
    expect(within(table()).getAllByRole('row').slice(1).map((r) => r.getAttribute('aria-label')?.split(',')[0])).toEqual(['Åse Lie']);
    fireEvent.change(search, { target: { value: 'Pettersen' } });
    expect(screen.getByText('Ingen pasienter for «Pettersen».')).toBeInTheDocument();
    fireEvent.change(search, { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Gruppe'), { target: { value: 'Hjertesvikt' } });
    expect(within(table()).getAllByRole('row').slice(1).map((r) => r.getAttribute('aria-label')?.split(',')[0])).toEqual(['Per Hansen']);
  });

  test('a refused step shows the server\'s words and changes nothing', async () => {
    const { posted } = fakeServer({ refuse: 'Bare leger og sykepleiere kan registrere at årskontrollen er gjennomført.' });
    show(GP);
    await screen.findByRole('table', { name: 'Innkallingsliste til årskontroll' });
    fireEvent.click(within(rowOf('Per Hansen')).getByRole('button', { name: 'Gjennomført: Per Hansen' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Ble ikke lagret: Bare leger og sykepleiere kan registrere at årskontrollen er gjennomført.');
    expect(posted).toHaveLength(0);
    expect(within(rowOf('Per Hansen')).getByTestId('recall-state')).toHaveAttribute('data-state', 'Time bestilt 15.12.2026');
  });

  test('the print sheet: practice, date and every row with birth date and phone', async () => {
    fakeServer();
    show(GP);
    const sheet = await screen.findByTestId('recall-print-sheet');
    await waitFor(() => expect(sheet).toHaveTextContent('Torshov legesenter'));
    await waitFor(() => expect(sheet).toHaveTextContent('Nina Nilsen'));
    expect(sheet).toHaveTextContent('Innkallingsliste: årskontroll');
    expect(sheet).toHaveTextContent('Dato 02.12.2026 · 3 pasienter');
    const rows = within(sheet).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Kjell Sørensen', '11.04.1950', '911\u00a022\u00a0333', 'Diabetes', 'Ingen', 'Nå', 'Ikke innkalt'],
      ['Åse Lie', '30.09.1948', 'mangler', 'KOLS', '01.10.2025, Ola Lege', '01.10.2026 (forfalt)', 'Innkalt 20.11.2026'],
      ['Per Hansen', '15.01.1960', '922\u00a000\u00a0111', 'Diabetes, Hjertesvikt', '20.12.2025, Nina Nilsen', '20.12.2026', 'Time bestilt 15.12.2026'],
    ]);
    expect(screen.getByRole('button', { name: 'Skriv ut' })).toBeInTheDocument();
  });

  test('the daglig leder chooses the recall groups; another GP does not see the setting', async () => {
    const { saved } = fakeServer();
    show(MANAGER);
    const settings = await screen.findByTestId('recall-settings');
    fireEvent.click(within(settings).getByText('Grupper som kalles inn til årskontroll (daglig leder)'));
    const kols = await within(settings).findByRole('checkbox', { name: 'KOLS' });
    expect(kols).toBeChecked();
    expect(within(settings).getByRole('checkbox', { name: 'Astma' })).not.toBeChecked();
    expect(within(settings).getByRole('button', { name: 'Lagre grupper' })).toBeDisabled();
    fireEvent.click(kols);
    fireEvent.click(within(settings).getByRole('checkbox', { name: 'Astma' }));
    fireEvent.click(within(settings).getByRole('button', { name: 'Lagre grupper' }));
    await waitFor(() => expect(saved).toEqual([{ groups: ['diabetes', 'heart-failure', 'asthma'] }]));
    expect(await within(settings).findByText('Lagret. Listen under er oppdatert.')).toBeInTheDocument();
    expect(within(settings).getByRole('checkbox', { name: 'KOLS' })).not.toBeChecked();
    expect(within(settings).getByRole('checkbox', { name: 'Astma' })).toBeChecked();
    cleanupAndShow(GP);
    await screen.findByRole('table', { name: 'Innkallingsliste til årskontroll' });
    expect(screen.queryByTestId('recall-settings')).toBeNull();
  });

  test('a refused save of the groups says why and keeps the choices', async () => {
    fakeServer({ refuseSettings: 'Bare daglig leder kan endre hvilke grupper som kalles inn til årskontroll.' });
    show(MANAGER);
    const settings = await screen.findByTestId('recall-settings');
    fireEvent.click(within(settings).getByText('Grupper som kalles inn til årskontroll (daglig leder)'));
    fireEvent.click(await within(settings).findByRole('checkbox', { name: 'Astma' }));
    fireEvent.click(within(settings).getByRole('button', { name: 'Lagre grupper' }));
    expect(await within(settings).findByRole('alert')).toHaveTextContent('Gruppene ble ikke lagret: Bare daglig leder kan endre hvilke grupper som kalles inn til årskontroll. Valgene dine er tatt vare på; prøv igjen.');
    expect(within(settings).getByRole('checkbox', { name: 'Astma' })).toBeChecked();
  });
});
