// @vitest-environment happy-dom
// CapabilityNotes (issue 16 item 2): the app server's sentences about what the journal system does not
// give, shown where they matter, and nothing when it gives everything.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { CapabilityNotes, type CapabilitiesAnswer } from '../../../src/platform/ui/CapabilityNotes';

const MEDS = 'Legemiddellisten er ikke tilgjengelig fra journalsystemet: polyfarmasi kan ikke vurderes.';
const COVERAGE = 'Frikort og fritak er ikke tilgjengelige fra journalsystemet: fritak for egenandel må sjekkes manuelt.';

function answer(notes: CapabilitiesAnswer['capabilities']['notes']): CapabilitiesAnswer {
  return { capabilities: { notes, unavailableFacts: [], readable: [] } };
}

function show(where: 'patient' | 'list', body: CapabilitiesAnswer) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <CapabilityNotes handle="h1" where={where} />
    </QueryClientProvider>,
  );
  return fetchMock;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('CapabilityNotes', () => {
  test('the patient panel shows every sentence meant for it', async () => {
    const fetchMock = show('patient', answer([{ id: 'medications', text: MEDS, where: ['patient', 'list'] }, { id: 'coverage', text: COVERAGE, where: ['patient'] }]));
    expect(await screen.findByText(MEDS)).toBeTruthy();
    expect(screen.getByText(COVERAGE)).toBeTruthy();
    expect(screen.getByText('Begrenset av journalsystemet')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith('/api/capabilities', expect.objectContaining({ headers: expect.objectContaining({ 'X-PHT-Handle': 'h1' }) }));
  });

  test('the list overview leaves out what only concerns the patient panel', async () => {
    show('list', answer([{ id: 'medications', text: MEDS, where: ['patient', 'list'] }, { id: 'coverage', text: COVERAGE, where: ['patient'] }]));
    expect(await screen.findByText(MEDS)).toBeTruthy();
    expect(screen.queryByText(COVERAGE)).toBeNull();
  });

  test('nothing when the journal system gives everything', async () => {
    const fetchMock = show('patient', answer([]));
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(screen.queryByTestId('capability-notes')).toBeNull();
  });
});
