// @vitest-environment happy-dom
// Choosing a view in the menu (issue 19 point 4, the list overview's first rows): the view that is on screen
// stays while the next one's code loads (a transition: no «Laster …» in between, which React would hold for
// 300 ms before showing the view), and the list overview's answer, asked for together with its code, is the
// one the view shows: asked for once.
import { act, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import '../../support/dom';
import { readySession, useFakeEhrOnFixedDay } from '../../support/fixedDayEhr';
import { AppShell } from '../../../src/ui/AppShell';
import { defaultListScope, prefetchList, useTargetGroupList } from '../../../src/features/target-groups/api';

describe('the menu: a view switch keeps the current view until the next has loaded', () => {
  // The views read from the EHR: the shared fake (empty answers) on a fixed day.
  useFakeEhrOnFixedDay();

  test('a nurse with a patient chooses Arbeidsliste: no «Laster arbeidsliste …», the panel stays, then the worklist', async () => {
    const ready = readySession();
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AppShell ready={ready} />
      </QueryClientProvider>,
    );
    const nav = screen.getByRole('navigation', { name: 'Hovedmeny' });
    await waitFor(() => expect(within(nav).getByRole('button', { name: 'Pasient' })).toHaveAttribute('aria-current', 'page'));
    // The panel's code has loaded (its fallback is gone) before the switch.
    await waitFor(() => expect(screen.queryByText('Laster pasient …')).not.toBeInTheDocument(), { timeout: 10_000 });
    act(() => {
      fireEvent.click(within(nav).getByRole('button', { name: 'Arbeidsliste' }));
    });
    expect(screen.queryByText('Laster arbeidsliste …')).not.toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: 'Pasient' })).toHaveAttribute('aria-current', 'page');
    await waitFor(() => expect(within(nav).getByRole('button', { name: 'Arbeidsliste' })).toHaveAttribute('aria-current', 'page'), { timeout: 10_000 });
    expect(screen.queryByText('Laster arbeidsliste …')).not.toBeInTheDocument();
  });
});

describe('the list overview: its first answer asked for with its code', () => {
  afterEach(() => vi.unstubAllGlobals());

  test.each([
    [{ role: 'gp', practiceManager: false }, 'gp'],
    [{ role: 'gp', practiceManager: true }, 'practice'],
    [{ role: 'nurse', practiceManager: false }, 'practice'],
    [{ role: 'secretary', practiceManager: false }, 'practice'],
  ])('the list first shown to %o is scope=%s', (role, scope) => {
    expect(defaultListScope(role)).toBe(scope);
  });

  test('the prefetched answer is the one the view shows on mount: one request to /api/target-groups/list', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        calls.push(url);
        return new Response(JSON.stringify({ scope: 'practice', clinical: false, computedAt: '2026-11-25T01:13:00Z', rows: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const ctx = { handle: 'h1' };
    await prefetchList(client, ctx, { role: 'secretary', practiceManager: false });
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useTargetGroupList(ctx, 'practice'), { wrapper });
    expect(result.current.data?.computedAt).toBe('2026-11-25T01:13:00Z');
    // A refetch on mount would have called fetch while the hook subscribed (inside renderHook's act).
    expect(calls).toEqual(['/api/target-groups/list?scope=practice']);
  });
});
