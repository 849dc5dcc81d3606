// Launch failures, each with what happened and how to relaunch, in bokmål. Separate from FhirError:
// no FHIR request was involved, and every one of them ends on an error page.

export type LaunchErrorCode =
  | 'not-launched' // the app was opened directly, not from the EHR
  | 'missing-iss' // /launch without ?iss=
  | 'invalid-iss'
  | 'discovery-failed'
  | 's256-unsupported'
  | 'unknown-state' // forged, reused or from another tab: refuse (RFC 6749 §10.12)
  | 'authorization-denied'
  | 'token-error';

const RELAUNCH = 'Lukk denne fanen og start appen på nytt fra journalsystemet.';

const TEXT: Record<LaunchErrorCode, { title: string; message: string; action: string }> = {
  'not-launched': {
    title: 'Appen er ikke startet fra journalen',
    message: 'Primærhelseteam må åpnes fra journalsystemet, slik at du blir logget inn og riktig pasient eller praksis velges.',
    action: 'Start appen fra pasientens journal eller fra praksisens appmeny i journalsystemet.',
  },
  'missing-iss': {
    title: 'Mangler kobling til journalsystemet',
    message: 'Appen ble åpnet uten adressen til journalsystemet (iss), og vet derfor ikke hvor den skal logge inn.',
    action: 'Start appen fra pasientens journal eller fra praksisens appmeny i journalsystemet.',
  },
  'invalid-iss': {
    title: 'Ugyldig adresse til journalsystemet',
    message: 'Adressen til journalsystemet (iss) som appen fikk, er ikke en gyldig nettadresse.',
    action: 'Start appen på nytt fra journalsystemet. Kontakt brukerstøtte hvis feilen gjentar seg.',
  },
  'discovery-failed': {
    title: 'Får ikke kontakt med journalsystemet',
    message: 'Appen fikk ikke hentet påloggingsoppsettet (smart-configuration) fra journalsystemet.',
    action: 'Vent litt og start appen på nytt fra journalsystemet. Kontakt brukerstøtte hvis feilen gjentar seg.',
  },
  's256-unsupported': {
    title: 'Journalsystemet støtter ikke sikker pålogging',
    message:
      'Journalsystemet oppgir ikke støtte for PKCE med S256, som appen krever for å logge inn sikkert. Appen startes derfor ikke.',
    action: 'Kontakt leverandøren av journalsystemet eller brukerstøtte.',
  },
  'unknown-state': {
    title: 'Påloggingen kunne ikke bekreftes',
    message:
      'Svaret fra påloggingen hører ikke til en pålogging som ble startet i denne fanen, eller den er allerede brukt. Av sikkerhetshensyn stoppes den.',
    action: RELAUNCH,
  },
  'authorization-denied': {
    title: 'Appen fikk ikke tilgang',
    message: 'Journalsystemet ga ikke appen tilgang.',
    action: RELAUNCH,
  },
  'token-error': {
    title: 'Påloggingen mislyktes',
    message: 'Journalsystemet godtok ikke innloggingen da appen skulle hente tilgang.',
    action: RELAUNCH,
  },
};

export class LaunchError extends Error {
  readonly code: LaunchErrorCode;
  readonly title: string;
  readonly userMessage: string;
  readonly userAction: string;
  /** Technical detail safe to show (an OAuth error code), never a token or code. */
  readonly detail: string | undefined;

  constructor(code: LaunchErrorCode, options?: { detail?: string; cause?: unknown }) {
    const text = TEXT[code];
    super(text.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LaunchError';
    this.code = code;
    this.title = text.title;
    this.userMessage = text.message;
    this.userAction = text.action;
    this.detail = options?.detail;
  }
}

export function isLaunchError(value: unknown): value is LaunchError {
  return value instanceof LaunchError;
}
