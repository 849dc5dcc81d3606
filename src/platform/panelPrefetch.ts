// The patient panel's parts the app server sent with the session (issue 19 point 1), kept until the panel
// shows and puts them in its cache: after the session exists, a patient launch then needs no other request
// before the panel's first paint. Opaque here; the patient panel reads it. It keeps the time it arrived:
// the user may open another view first (the panel is loaded lazily) and change what the answer says there,
// so the panel must treat it as data of that time, not of the moment it first renders.
let held: { patientId: string; answer: unknown; receivedAt: number } | undefined;

/** Keeps the session's panel answer for `patientId` (the launch patient), received at `receivedAt` (epoch ms). */
export function rememberSessionPanel(patientId: string, answer: unknown, receivedAt: number): void {
  held = { patientId, answer, receivedAt };
}

/** The session's panel answer for `patientId` and when it arrived, if there is one; given once (a later panel asks the server). */
export function takeSessionPanel(patientId: string): { answer: unknown; receivedAt: number } | undefined {
  if (held?.patientId !== patientId) return undefined;
  const { answer, receivedAt } = held;
  held = undefined;
  return { answer, receivedAt };
}

/**
 * The user opened another view before the panel showed (its code loads lazily): what they do there may change
 * what the answer says (a medication review answered in «Mine oppgaver»), so the panel asks the server instead.
 */
export function dropSessionPanel(): void {
  held = undefined;
}
