// What the journal system does not give the app, said where it matters (issue 16 item 2): the patient
// panel, the list overview and the inbox show the app server's sentences from `GET /api/capabilities`
// (server/epj/capabilities.ts), e.g. «Legemiddellisten er ikke tilgjengelig fra journalsystemet:
// polyfarmasi kan ikke vurderes», never a silent "no". Nothing is shown when the EPJ offers everything
// or when the answer cannot be fetched (the views still work; their own errors say so).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Alert, Paragraph } from '@digdir/designsystemet-react';
import { apiFetch, type ApiContext } from '../api';
import './capabilityNotes.css';

export type NoteLocation = 'patient' | 'list' | 'inbox';

export interface CapabilityNote {
  id: string;
  text: string;
  where: NoteLocation[];
}

export interface CapabilitiesAnswer {
  capabilities: { notes: CapabilityNote[]; unavailableFacts: string[]; readable: string[]; creatable?: string[] };
}

/**
 * Whether the launch's EPJ accepts new resources of `type` (its CapabilityStatement, through the app server).
 * False until the answer is in and when it cannot be fetched: nothing is written to an EPJ that may refuse it.
 */
export function useEpjAccepts(ctx: ApiContext, type: string): boolean {
  const { data } = useQuery(capabilitiesQuery(ctx));
  return data?.capabilities.creatable?.includes(type) ?? false;
}

export const capabilitiesQuery = (ctx: ApiContext) =>
  queryOptions({
    queryKey: ['capabilities', ctx.handle ?? ''],
    queryFn: ({ signal }) => apiFetch<CapabilitiesAnswer>(ctx, '/api/capabilities', { signal }),
    // The EPJ's capabilities change rarely (the server caches them too).
    staleTime: 10 * 60_000,
    retry: 1,
  });

export function CapabilityNotes({ handle, where }: { handle: string | undefined; where: NoteLocation }) {
  const { data } = useQuery(capabilitiesQuery(handle ? { handle } : {}));
  const notes = (data?.capabilities.notes ?? []).filter((n) => n.where.includes(where));
  if (notes.length === 0) return null;
  return (
    <Alert data-color="info" data-size="sm" className="pht-capability-notes" data-testid="capability-notes">
      <Paragraph data-size="sm">
        <strong>Begrenset av journalsystemet</strong>
      </Paragraph>
      <ul>
        {notes.map((n) => (
          <li key={n.id}>{n.text}</li>
        ))}
      </ul>
    </Alert>
  );
}
