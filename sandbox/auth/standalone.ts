// Standalone launch: no EHR session to take the user and patient from, so the EPJ asks (SMART App
// Launch 2.x, "Standalone launch"; the practice views of SPEC §1 start this way).
import { isFhirId, type LaunchContext } from './context';
import { errorRedirect, findClient, issueCode } from './authorize';
import { AUTH_PATHS } from './discovery';
import { OAuthError } from './errors';
import { pickerPage } from './pages';
import { errorReply, htmlReply, type PageReply } from './reply';
import type { AuthRuntime, PendingAuthorization } from './runtime';
import { grantScopes } from './scopes';

const PATIENT_LIST_LIMIT = 20;

function needsPatient(rt: AuthRuntime, pending: PendingAuthorization): boolean {
  return grantScopes(pending.scopes, findClient(rt, pending.clientId)?.scopes ?? []).includes('launch/patient');
}

export async function renderPicker(
  rt: AuthRuntime,
  requestId: string,
  pending: PendingAuthorization,
  choice: { query?: string; user?: string; patient?: string; message?: string } = {},
): Promise<PageReply> {
  const users = await rt.directory.users();
  const query = choice.query ?? '';
  const patients = needsPatient(rt, pending) ? await rt.directory.patients(query, PATIENT_LIST_LIMIT) : undefined;
  return htmlReply(pickerPage({
    requestId,
    action: `${rt.profile.prefix}${AUTH_PATHS.select}`,
    clientName: findClient(rt, pending.clientId)?.name ?? rt.clientName,
    users,
    query,
    ...(patients ? { patients } : {}),
    ...(choice.user ? { selectedUser: choice.user } : {}),
    ...(choice.patient ? { selectedPatient: choice.patient } : {}),
    ...(choice.message ? { message: choice.message } : {}),
  }), choice.message ? 400 : 200);
}

const EXPIRED = errorReply('Innloggingen er utløpt', 'Forespørselen fra appen er utløpt eller allerede brukt. Start appen på nytt.');

/** `GET /auth/authorize/select`: the picker's "Søk" button, which keeps the request and the choices. */
export async function searchPicker(rt: AuthRuntime, params: URLSearchParams): Promise<PageReply> {
  const requestId = params.get('request') ?? '';
  const pending = rt.pending.get(requestId);
  if (!pending) return EXPIRED;
  return renderPicker(rt, requestId, pending, {
    query: params.get('q') ?? '',
    user: params.get('user') ?? undefined,
    patient: params.get('patient') ?? undefined,
  });
}

/** `POST /auth/authorize/select`: the user's decision. The unguessable request id doubles as CSRF token. */
export async function decidePicker(rt: AuthRuntime, form: URLSearchParams): Promise<PageReply> {
  const requestId = form.get('request') ?? '';
  const pending = rt.pending.get(requestId);
  if (!pending) return EXPIRED;
  if (form.get('decision') === 'deny') {
    rt.pending.take(requestId);
    const denied = new OAuthError('access_denied', 'The user cancelled');
    return { kind: 'redirect', location: errorRedirect(pending.redirectUri, denied, pending.state) };
  }
  const userId = form.get('user') ?? '';
  const patientId = form.get('patient') ?? '';
  const user = (await rt.directory.users()).find((u) => u.id === userId);
  const retry = (message: string) => renderPicker(rt, requestId, pending, { user: userId, patient: patientId, query: form.get('q') ?? '', message });
  if (!user) return retry('Velg en bruker.');
  const withPatient = needsPatient(rt, pending);
  if (withPatient && !(isFhirId(patientId) && (await rt.directory.patient(patientId)))) return retry('Velg en pasient.');
  rt.pending.take(requestId);
  const context: LaunchContext = {
    user,
    ...(withPatient ? { patient: patientId } : {}),
    // Outside the EPJ nothing else shows who the patient is, so the app must.
    needPatientBanner: true,
    patientScopes: false,
  };
  try {
    return { kind: 'redirect', location: issueCode(rt, pending, context) };
  } catch (error) {
    if (error instanceof OAuthError) return { kind: 'redirect', location: errorRedirect(pending.redirectUri, error, pending.state) };
    throw error;
  }
}
