// The patient panel in one request (issue 19 point 1): GET /api/panel/:patientId answers every part the
// panel shows at first paint (target groups, care, follow-up, today's charges, the co-payment facts, the
// EPJ's capabilities), read by the app server in parallel. Each part that succeeded goes into the cache under
// the key its section reads, so the sections show it without asking again; a part that failed is left
// out, and its section reads it itself and shows the same message as before. If the panel request
// itself fails, the sections read everything themselves (as before this endpoint).
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { apiFetch, type ApiContext } from '../../platform/api';
import { capabilitiesQuery } from '../../platform/ui/CapabilityNotes';
import { patientTargetGroupsQuery } from '../target-groups/api';
import { patientCareQuery } from '../care/api';
import { patientFollowUpsQuery } from '../follow-up/api';
import { copayFactsQuery, dayQuery } from '../contact-copay/api';
import { prefetchContactDay } from './contact/useContactDay';

type Part = 'capabilities' | 'targetGroups' | 'care' | 'followUp' | 'day' | 'copayFacts';
interface PartAnswer {
  status: number;
  body: unknown;
}
export interface PanelAnswer {
  patientId: string;
  day: string | null;
  parts: Partial<Record<Part, PartAnswer>>;
}

export interface PanelRequest {
  patientId: string;
  birthDate: string | undefined;
  /** GP or nurse: the panel shows care, follow-up and the contact form. */
  registers: boolean;
  /** The service day of the contact form (today, Oslo). */
  day: string;
}

/** The parts a panel shows for a role; the server reads only these. */
export function panelParts(registers: boolean): Part[] {
  return registers ? ['capabilities', 'targetGroups', 'care', 'followUp', 'day', 'copayFacts'] : ['capabilities', 'targetGroups'];
}

/**
 * Puts the answered parts in the cache, as data of `updatedAt` (epoch ms; now when not given); returns the
 * parts it put there. A part whose cache entry is newer is left alone (the way TanStack's hydration does it),
 * and an old answer is stale at once by the sections' own staleTime, so they read it again.
 */
export function seedPanel(queryClient: QueryClient, api: ApiContext, req: PanelRequest, answer: PanelAnswer, updatedAt?: number): Part[] {
  const seeded: Part[] = [];
  const put = (part: Part, queryKey: readonly unknown[]): void => {
    const a = answer.parts[part];
    if (!a || a.status !== 200 || a.body === null || typeof a.body !== 'object') return;
    const existing = queryClient.getQueryState(queryKey);
    if (updatedAt !== undefined && existing && existing.dataUpdatedAt > updatedAt) return;
    queryClient.setQueryData(queryKey, a.body, updatedAt !== undefined ? { updatedAt } : undefined);
    seeded.push(part);
  };
  const id = req.patientId;
  put('capabilities', capabilitiesQuery(api).queryKey);
  put('targetGroups', patientTargetGroupsQuery(api, id).queryKey);
  put('care', patientCareQuery(api, id).queryKey);
  put('followUp', patientFollowUpsQuery(api, id).queryKey);
  if (answer.day === req.day) put('day', dayQuery(api, id, req.day).queryKey);
  put('copayFacts', copayFactsQuery(api, id).queryKey);
  return seeded;
}

/**
 * The panel's one request, keyed by launch, patient, role and day; asked once (the sections keep their own
 * data fresh afterwards). Never fails: without an answer the sections read their parts themselves, and the
 * contact form's reads are started at once as before.
 */
export const panelQuery = (queryClient: QueryClient, api: ApiContext, req: PanelRequest) =>
  queryOptions({
    queryKey: ['patient-panel', api.handle ?? '', req.patientId, req.registers, req.day],
    queryFn: async ({ signal }): Promise<{ seeded: Part[] }> => {
      const parts = panelParts(req.registers);
      try {
        const answer = await apiFetch<PanelAnswer>(api, `/api/panel/${encodeURIComponent(req.patientId)}?parts=${parts.join(',')}&day=${req.day}`, { signal });
        return { seeded: seedPanel(queryClient, api, req, answer) };
      } catch {
        void queryClient.prefetchQuery(capabilitiesQuery(api));
        if (req.registers) prefetchContactDay(queryClient, api, req.patientId, req.day);
        return { seeded: [] };
      }
    },
    staleTime: Infinity,
    retry: false,
  });
