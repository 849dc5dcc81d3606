// @vitest-environment happy-dom
// The patient search in the lists that had none (issue 17 item 21): the list overview's filter and the
// outreach worklist find a patient by a word of the name (without ø) or by the birth date as dd.mm.åååå.
// Names and dates are written by hand.
import { fireEvent, render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, test, vi } from 'vitest';
import '../../support/dom';
import type { PopulationRow } from '../../../src/domain/targetGroups/views';
import Outreach from '../../../src/features/outreach';
import { DEFAULT_FILTER, filterRows } from '../../../src/features/list-overview/filters';
import type { FhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';

const row = (patientId: string, name: string, birthDate: string): PopulationRow => ({
  patientId,
  name,
  birthDate,
  age: 80,
  inTargetGroup: true,
  groups: [{ group: 'frail-elderly', confirmed: false }],
  weakDemander: true,
  needsMedicationReview: false,
  needsCarePlan: false,
  reasons: [],
  addressProtected: false,
  issueCount: 0,
});

const ROWS = [row('p1', 'Bjørn Sæther', '1944-02-23'), row('p2', 'Kari Nordmann', '1946-05-17'), row('p3', 'Karianne Holm', '1939-12-01')];

describe('list overview: filterRows with the patient search', () => {
  test.each([
    ['bjorn', ['p1']],
    ['saether', ['p1']], // «æ» is typed as «ae»
    ['kari', ['p2', 'p3']],
    ['kari nord', ['p2']],
    ['17.05.1946', ['p2']],
    ['01.12', ['p3']],
    ['', ['p1', 'p2', 'p3']],
  ])('«%s» -> %o', (text, ids) => {
    expect(filterRows(ROWS, { ...DEFAULT_FILTER, text }).map((r) => r.patientId)).toEqual(ids);
  });
});

describe('outreach: the patient search', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('narrows the weak demanders by name or birth date, and says when none match', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ computedAt: '2026-11-25T01:13:00Z', asOf: '2026-11-25', rows: ROWS }), { status: 200, headers: { 'content-type': 'application/json' } })),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <Outreach client={{} as FhirClient} session={{ handle: 'h1' } as unknown as Session} user={{ practitionerId: 'n1', name: 'Siri', role: { role: 'nurse', practiceManager: false } }} patient={undefined} />
      </QueryClientProvider>,
    );
    const list = await screen.findByRole('list', { name: 'Svake etterspørrere' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    const search = screen.getByRole('searchbox', { name: 'Søk etter pasient (navn eller fødselsdato)' });
    fireEvent.change(search, { target: { value: 'bjorn' } });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('data-testid'))).toEqual(['outreach-p1']);
    fireEvent.change(search, { target: { value: '01.12.1939' } });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('data-testid'))).toEqual(['outreach-p3']);
    fireEvent.change(search, { target: { value: 'Olsen' } });
    expect(within(list).queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.getByText('Ingen svake etterspørrere for «Olsen».')).toBeInTheDocument();
  });
});
