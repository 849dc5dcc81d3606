// The simulated EPJ's launch screen (`GET /`) and its direct form (`GET /launch?user=..&patient=..`,
// used by browser tests): create an opaque launch id holding the context and send the browser to the
// app's launch_uri with `iss` and `launch` (SMART App Launch 2.x, "EHR launch"). The user picks the
// issuer: the HelseID-like profile (default when the app server is registered) or SMART standard.
import type { ConfidentialClient } from './clients';
import { isFhirId, type LaunchContext } from './context';
import { launchPage } from './pages';
import { errorReply, htmlReply, type PageReply } from './reply';
import { LAUNCH_LIFETIME_MS, MAX_REFRESH_LIFETIME_SECONDS, SHORT_TOKEN_LIFETIME_SECONDS, type AuthRuntime, type ProfileName } from './runtime';
import { randomId } from './store';

const PATIENT_LIST_LIMIT = 20;

/** What the launch page needs to know about the two issuers and the app it starts. */
export interface Launcher {
  /** The SMART profile's runtime: directory, public app registration, launch ids (shared by both issuers). */
  runtime: AuthRuntime;
  fhirBaseUrls: Record<ProfileName, string>;
  /** The app server (BFF), when registered: it is what the EPJ launches, in either profile. */
  confidential: ConfidentialClient | undefined;
  /** The FHIR server's EPJ profile (issue 16): the launch page shows it and a launch may switch it. */
  epj?: EpjSwitch;
}

export interface EpjSwitch {
  current(): 'full' | 'narrow';
  choose(name: 'full' | 'narrow'): void;
}

/** `epj=full|narrow`; absent = keep the current one; anything else is refused. */
function chosenEpj(params: URLSearchParams): 'full' | 'narrow' | undefined | false {
  const value = params.get('epj');
  if (value === null || value === '') return undefined;
  return value === 'full' || value === 'narrow' ? value : false;
}

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
  return rt.clients.app.acceptsOrigin(origin) ? { ok: true, origin } : { ok: false };
}

/** HelseID-like by default when the app server is registered, since only it can use that profile. */
function chosenProfile(launcher: Launcher, params: URLSearchParams): ProfileName | undefined {
  const value = params.get('profile');
  if (value === null || value === '') return launcher.confidential ? 'helseid' : 'smart';
  return value === 'helseid' || value === 'smart' ? value : undefined;
}

const BAD_APP = errorReply('Ukjent app-adresse', 'Parameteret «app» er ikke en av appens registrerte adresser.');
const BAD_EPJ = errorReply('Ukjent journalsystemprofil', 'Parameteret «epj» må være «full» eller «narrow».');
const BAD_PROFILE = errorReply('Ukjent profil', 'Parameteret «profile» må være «helseid» eller «smart».');
const NO_CONFIDENTIAL = errorReply(
  'HelseID-lik profil er ikke tilgjengelig',
  'Appserveren er ikke registrert i journalsystemet (start sandkassen med --client-jwks). Velg «SMART standard».',
);

export async function renderLaunchPage(launcher: Launcher, params: URLSearchParams): Promise<PageReply> {
  const rt = launcher.runtime;
  const app = appOrigin(rt, params);
  if (!app.ok) return BAD_APP;
  const profile = chosenProfile(launcher, params) ?? (launcher.confidential ? 'helseid' : 'smart');
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
    profile,
    helseidAvailable: launcher.confidential !== undefined,
    fhirBaseUrls: launcher.fhirBaseUrls,
    ...(launcher.epj ? { epj: chosenEpj(params) || launcher.epj.current() } : {}),
  }));
}

export async function startLaunch(launcher: Launcher, params: URLSearchParams): Promise<PageReply> {
  const rt = launcher.runtime;
  const app = appOrigin(rt, params);
  if (!app.ok) return BAD_APP;
  const profile = chosenProfile(launcher, params);
  if (!profile) return BAD_PROFILE;
  if (profile === 'helseid' && !launcher.confidential) return NO_CONFIDENTIAL;
  const epj = chosenEpj(params);
  if (epj === false) return BAD_EPJ;
  const userId = params.get('user') ?? '';
  const user = (await rt.directory.users()).find((u) => u.id === userId);
  if (!user) return errorReply('Ukjent bruker', 'Velg en bruker fra listen på startsiden.');
  const patient = params.get('patient') ?? '';
  const encounter = params.get('encounter') ?? '';
  if ((patient && !isFhirId(patient)) || (encounter && !isFhirId(encounter))) {
    return errorReply('Ugyldig pasient', 'Pasient- eller konsultasjons-id har ugyldig format.');
  }
  if (patient && !(await rt.directory.patient(patient))) {
    return errorReply('Ukjent pasient', `Journalsystemet har ingen pasient med id «${patient}». Velg en pasient fra listen på startsiden.`, 404);
  }
  const refreshLifetime = params.get('refresh_lifetime');
  const refreshSeconds = refreshLifetime === null ? undefined : Number(refreshLifetime);
  if (refreshSeconds !== undefined && !(Number.isInteger(refreshSeconds) && refreshSeconds > 0 && refreshSeconds <= MAX_REFRESH_LIFETIME_SECONDS)) {
    return errorReply('Ugyldig levetid', `Parameteret «refresh_lifetime» må være et helt antall sekunder fra 1 til ${MAX_REFRESH_LIFETIME_SECONDS}.`);
  }
  const context: LaunchContext = {
    user,
    ...(patient ? { patient } : {}),
    ...(patient && encounter ? { encounter } : {}),
    needPatientBanner: needPatientBanner(params),
    patientScopes: flag(params, 'patient_scopes'),
    ...(flag(params, 'short_token') ? { tokenLifetimeSeconds: SHORT_TOKEN_LIFETIME_SECONDS } : {}),
    ...(refreshSeconds !== undefined ? { refreshTokenLifetimeSeconds: refreshSeconds } : {}),
  };
  // The simulated EPJ is one system at a time: choosing the other profile switches the FHIR server.
  if (epj && launcher.epj) launcher.epj.choose(epj);
  const launchId = randomId();
  rt.launches.set(launchId, context, LAUNCH_LIFETIME_MS);
  const target = launcher.confidential ? new URL(launcher.confidential.launchUri) : rt.clients.app.launchUrl(app.origin);
  target.searchParams.set('iss', launcher.fhirBaseUrls[profile]);
  target.searchParams.set('launch', launchId);
  return { kind: 'redirect', location: target.href };
}
