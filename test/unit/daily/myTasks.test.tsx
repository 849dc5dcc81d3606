// @vitest-environment happy-dom
// «Mine oppgaver» composes two jobs (issue 17 items 13 and 17): the follow-up slice's GP tasks and the care
// slice's medication reviews appear in one list, open first and by due date, and the GP's answer goes to the
// job the task came from. The two APIs are faked; expected order and bodies written by hand.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import '../../support/dom';
import { emptyFhirHandlers, FHIR_BASE } from '../../support/fakeEhr';
import MyTasks from '../../../src/features/my-tasks';
import { createFhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';

const NOW = new Date('2026-11-25T09:00:00+01:00');
const sent: { path: string; body: unknown }[] = [];

const followUpTask = (id: string, over: Record<string, unknown>) => ({
  id,
  patientId: 'pat-1',
  assignee: 'Practitioner/gp-1',
  kind: 'assessment',
  reason: 'Vurder blodtrykket',
  due: null,
  followUpId: null,
  status: 'open',
  answer: null,
  completedAt: null,
  completedBy: null,
  createdAt: '2026-11-20T08:00:00Z',
  createdBy: 'Practitioner/nurse-1',
  version: 3,
  ...over,
});
const careTask = {
  id: 'care-1',
  patientId: 'pat-2',
  kind: 'medication-review',
  assignee: 'Practitioner/gp-1',
  reason: '12 faste legemidler',
  status: 'open',
  due: '2026-11-27',
  createdAt: '2026-11-24T08:00:00Z',
  createdBy: 'Practitioner/nurse-1',
  doneOn: null,
  doneBy: null,
  doneNote: null,
};

const server = setupServer(
  http.get('*/api/follow-up/gp-tasks/mine', () =>
    HttpResponse.json({ tasks: [followUpTask('fu-late', { due: '2026-12-01', reason: 'Vurder legemiddelendringer etter utskrivning', kind: 'medication-review' }), followUpTask('fu-none', {})] }),
  ),
  http.get('*/api/care/tasks/mine', () => HttpResponse.json([careTask])),
  http.post('*/api/follow-up/gp-tasks/:id/complete', async ({ request, params }) => {
    sent.push({ path: `follow-up/${String(params.id)}`, body: await request.json() });
    return HttpResponse.json({ task: followUpTask(String(params.id), { status: 'done' }), changed: true });
  }),
  http.post('*/api/care/tasks/:id/done', async ({ request, params }) => {
    sent.push({ path: `care/${String(params.id)}`, body: await request.json() });
    return HttpResponse.json({ ...careTask, status: 'not-needed' });
  }),
  ...emptyFhirHandlers(),
);
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

function renderMyTasks() {
  const session: Session = {
    launchKind: 'ehr',
    fhirBaseUrl: FHIR_BASE,
    accessToken: 'secret-access-token',
    expiresAt: NOW.getTime() + 3600_000,
    grantedScopes: ['user/Patient.rs'],
    requestedScopes: [],
    needPatientBanner: false,
    handle: 'h1',
  };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <MyTasks client={createFhirClient(session)} session={session} user={{ practitionerId: 'gp-1', name: 'Lars Lege', role: { role: 'gp', practiceManager: false } }} patient={undefined} />
    </QueryClientProvider>,
  );
}

test('both kinds in one list, by due date (none last); each answer goes to its own job', async () => {
  renderMyTasks();
  expect(await screen.findByText('3 åpne oppgaver.')).toBeInTheDocument();
  const items = within(screen.getByRole('list', { name: 'Oppgaver' })).getAllByTestId('gp-task');
  expect(items.map((i) => [i.getAttribute('data-kind'), within(i).getByTestId('gp-task-reason').textContent])).toEqual([
    ['care-medication-review', '12 faste legemidler'],
    ['medication-review', 'Vurder legemiddelendringer etter utskrivning'],
    ['assessment', 'Vurder blodtrykket'],
  ]);
  expect(items[0]).toHaveTextContent('Frist 27.11.2026');
  expect(items[0]).toHaveTextContent('Legemiddelgjennomgang');

  fireEvent.change(within(items[0]!).getByLabelText('Svar til teamet (valgfritt)'), { target: { value: 'Gjort ved forrige kontroll' } });
  fireEvent.click(within(items[0]!).getByRole('button', { name: 'Ikke nødvendig' }));
  fireEvent.click(within(items[1]!).getByRole('button', { name: 'Utført' }));
  await vi.waitFor(() => expect(sent).toHaveLength(2));
  expect(sent).toEqual([
    { path: 'care/care-1', body: { date: '2026-11-25', status: 'not-needed', note: 'Gjort ved forrige kontroll' } },
    { path: 'follow-up/fu-late', body: { status: 'done', version: 3 } },
  ]);
});
