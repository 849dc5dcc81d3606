// Group sessions on the app server (issue 17 item 20): POST /api/contact-copay/group-sessions. The server
// registers each participant's S4 with the egenandel decision of a single contact and answers with each
// participant's result; the session id makes a resend finish what is left without charging anyone twice.
import type { CopayPatient } from '../../domain/copay';
import { ApiError, apiFetch, type ApiContext } from '../../platform/api';
import type { ChargeView } from './api';

export interface GroupSessionBody {
  id: string;
  start: string;
  minutes?: number;
  topic: string;
  note?: string;
  participants: { patientId: string; patient: CopayPatient; paidElsewhereToday?: boolean }[];
}

export type GroupParticipantResult =
  | { patientId: string; contactId: string; status: 'registered' | 'already-registered'; charge: ChargeView }
  | { patientId: string; contactId: string; status: 'needs-answer' | 'refused'; message: string };

export interface GroupSessionResult {
  sessionId: string;
  day: string;
  alreadySaved: boolean;
  complete: boolean;
  participants: GroupParticipantResult[];
}

/** Registers a group session; a dropped connection or a 503 is sent again with the same body (same id). */
export async function registerGroupSession(ctx: ApiContext, body: GroupSessionBody, attempts = 3): Promise<GroupSessionResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apiFetch<GroupSessionResult>(ctx, '/api/contact-copay/group-sessions', { method: 'POST', body });
    } catch (error) {
      const transient = error instanceof ApiError && (error.status === 0 || error.status === 503);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}
