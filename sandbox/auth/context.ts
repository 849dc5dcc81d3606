// The people the simulated EPJ knows and the launch context it hands the app (SMART App Launch 2.x,
// "Launch context arrives with your access_token").

/** A user of the EPJ. `id` is the Practitioner id; the role follows Volven 9060 (SPEC §1). */
export interface LaunchUser {
  id: string;
  name: string;
  role: 'gp' | 'nurse' | 'secretary';
  /** Daglig leder (GLOSSARY). */
  practiceManager: boolean;
  hpr?: string;
}

export interface LaunchPatient {
  id: string;
  name: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  fnr?: string;
}

/** Where the EPJ's pages look people up (the lead wires it to the sandbox FHIR data). */
export interface LaunchDirectory {
  users(): Promise<LaunchUser[]>;
  patients(query: string, limit: number): Promise<LaunchPatient[]>;
  /** One patient by id: a launch for a patient the EPJ does not have is refused. */
  patient(id: string): Promise<LaunchPatient | undefined>;
}

/** What an EHR launch (launch page) or a standalone picker decided. */
export interface LaunchContext {
  user: LaunchUser;
  /** Bare Patient id. */
  patient?: string;
  /** Bare Encounter id. */
  encounter?: string;
  needPatientBanner: boolean;
  /** Grant `patient/` instead of `user/` scopes (only meaningful with a patient). */
  patientScopes: boolean;
  /** Overrides the access-token lifetime (the launch page's "kort token-levetid"). */
  tokenLifetimeSeconds?: number;
  /** Overrides the refresh-token lifetime (tests: `/launch?refresh_lifetime=N`). */
  refreshTokenLifetimeSeconds?: number;
}

const ROLE_LABELS: Record<LaunchUser['role'], string> = {
  gp: 'Fastlege',
  nurse: 'Sykepleier',
  secretary: 'Helsesekretær',
};

export function describeUser(user: LaunchUser): string {
  return `${user.name} – ${ROLE_LABELS[user.role]}${user.practiceManager ? ', daglig leder' : ''}`;
}

/** `dd.mm.åååå` as the UI writes dates (GLOSSARY). */
export function formatBirthDate(birthDate: string | undefined): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate ?? '');
  return match ? `${match[3]}.${match[2]}.${match[1]}` : undefined;
}

export function describePatient(patient: LaunchPatient): string {
  const born = formatBirthDate(patient.birthDate);
  return born ? `${patient.name} (født ${born})` : patient.name;
}

/** FHIR R4 id syntax (`[A-Za-z0-9\-\.]{1,64}`): what we accept as a patient, user or encounter id. */
export function isFhirId(value: string): boolean {
  return /^[A-Za-z0-9\-.]{1,64}$/.test(value);
}
