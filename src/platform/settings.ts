// Practice settings from the app server (issue 15; platform: every slice reads them): GET/PUT /api/settings through TanStack Query, so every
// view that needs them (manager figures, the follow-up deadline calendar) shares one cached copy, and a save
// updates them all. Defaults and validation rules are in src/domain/settings.ts.
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { PracticeSettings } from '../domain/settings';
import { apiFetch, type ApiContext } from './api';

export interface StoredSettings {
  settings: PracticeSettings;
  /** 0 = never saved (the defaults). */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export const settingsQuery = (ctx: ApiContext) =>
  queryOptions({
    queryKey: ['settings', ctx.handle ?? ''],
    queryFn: ({ signal }) => apiFetch<StoredSettings>(ctx, '/api/settings', { signal }),
    // Settings change rarely; a save updates the cache at once.
    staleTime: 5 * 60_000,
  });

export function usePracticeSettings(ctx: ApiContext) {
  return useQuery(settingsQuery(ctx));
}

/** For loaders outside React (stores): the cached settings, fetched once when missing. */
export function fetchPracticeSettings(queryClient: QueryClient, ctx: ApiContext): Promise<StoredSettings> {
  return queryClient.fetchQuery(settingsQuery(ctx));
}

export function useSaveSettings(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: { version: number; settings: PracticeSettings }) => apiFetch<StoredSettings>(ctx, '/api/settings', { method: 'PUT', body: update }),
    onSuccess: (stored) => queryClient.setQueryData(settingsQuery(ctx).queryKey, stored),
  });
}
