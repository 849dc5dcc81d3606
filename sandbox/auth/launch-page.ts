// The simulated EPJ's launch screen (`GET /`) and its direct form (`GET /launch?user=..&patient=..`,
// used by browser tests): create an opaque launch id holding the context and send the browser to the
// app's launch_uri with `iss` and `launch` (SMART App Launch 2.x, "EHR launch").
import { isFhirId, type LaunchContext } from './context';
import { launchPage } from './pages';
import { errorReply, htmlReply, type PageReply } from './reply';
import { LAUNCH_LIFETIME_MS, SHORT_TOKEN_LIFETIME_SECONDS, type AuthRuntime } from './runtime';
import { randomId } from './store';

const PATIENT_LIST_LIMIT = 20;

/**
 * The banner checkbox is on by default. The form sends a hidden `banner=0` before the checkbox's
 * `banner=1`, so "unchecked" (only 0) differs from "not given" (direct URL: default on).
 */
function needPatientBanner(params: URLSearchParams): boolean {
  const values = params.getAll('banner');
  if (values.length === 0) return true;
  return values.includes('1') || values.includes('true');
}

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value === '1' || value === 'true';
}

/** The `app` override must be one of the app's accepted origins, or we would be an open redirector. */
function appOrigin(rt: AuthRuntime, params: URLSearchParams): { ok: true; origin?: string } | { ok: false } {
  const app = params.get('app');
  if (!app) return { ok: true };
  let origin: string;
  try {
    origin = new URL(app).origin;
  } catch {
    return { ok: false };
  }
  return rt.app.acceptsOrigin(origin) ? { ok: true, origin } : { ok: false };
}

const BAD_APP = errorReply('Ukjent app-adresse', 'Parameteret «app» er ikke en av appens registrerte adresser.');

export async function renderLaunchPage(rt: AuthRuntime, params: URLSearchParams): Promise<PageReply> {
  const app = appOrigin(rt, params);
  if (!app.ok) return BAD_APP;
  const query = params.get('q') ?? '';
  const [users, patients] = await Promise.all([rt.directory.users(), rt.directory.patients(query, PATIENT_LIST_LIMIT)]);
  const selectedUser = params.get('user');
  const selectedPatient = params.get('patient');
  return htmlReply(launchPage({
    users,
    patients,
    query,
    ...(selectedUser ? { selectedUser } : {}),
    ...(selectedPatient ? { selectedPatient } : {}),
    needPatientBanner: needPatientBanner(params),
    patientScopes: flag(params, 'patient_scopes'),
    shortToken: flag(params, 'short_token'),
    ...(app.origin ? { app: app.origin } : {}),
    fhirBaseUrl: rt.fhirBaseUrl,
  }));
}

export async function startLaunch(rt: AuthRuntime, params: URLSearchParams): Promise<PageReply> {
  const app = appOrigin(rt, params);
  if (!app.ok) return BAD_APP;
  const userId = params.get('user') ?? '';
  const user = (await rt.directory.users()).find((u) => u.id === userId);
  if (!user) return errorReply('Ukjent bruker', 'Velg en bruker fra listen på startsiden.');
  const patient = params.get('patient') ?? '';
  const encounter = params.get('encounter') ?? '';
  if ((patient && !isFhirId(patient)) || (encounter && !isFhirId(encounter))) {
    return errorReply('Ugyldig pasient', 'Pasient- eller konsultasjons-id har ugyldig format.');
  }
  const context: LaunchContext = {
    user,
    ...(patient ? { patient } : {}),
    ...(patient && encounter ? { encounter } : {}),
    needPatientBanner: needPatientBanner(params),
    patientScopes: flag(params, 'patient_scopes'),
    ...(flag(params, 'short_token') ? { tokenLifetimeSeconds: SHORT_TOKEN_LIFETIME_SECONDS } : {}),
  };
  const launchId = randomId();
  rt.launches.set(launchId, context, LAUNCH_LIFETIME_MS);
  const target = rt.app.launchUrl(app.origin);
  target.searchParams.set('iss', rt.fhirBaseUrl);
  target.searchParams.set('launch', launchId);
  return { kind: 'redirect', location: target.href };
}
