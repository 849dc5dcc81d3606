// The patient panel's parts the app server sent with the session (issue 19 point 1), kept until the panel
// shows and puts them in its cache: after the session exists, a patient launch then needs no other request
// before the panel's first paint. Opaque here; the patient panel reads it.
let held: { patientId: string; answer: unknown } | undefined;

/** Keeps the session's panel answer for `patientId` (the launch patient). */
export function rememberSessionPanel(patientId: string, answer: unknown): void {
  held = { patientId, answer };
}

/** The session's panel answer for `patientId`, if there is one; given once (a later panel asks the server). */
export function takeSessionPanel(patientId: string): unknown {
  if (held?.patientId !== patientId) return undefined;
  const { answer } = held;
  held = undefined;
  return answer;
}
