// Launch and session failures the browser meets, each with what happened and how to go on, in bokmål.
// Separate from FhirError: no FHIR request was involved, and every one of them ends on an error page.

export type LaunchErrorCode =
  | 'not-launched' // the app was opened directly, not from the EHR (no launch handle in this tab)
  | 'session-expired' // the app server ended the session: idle, absolute timeout, EPJ token expired without refresh
  | 'logged-out'
  | 'server-unreachable'; // the app server did not answer (or answered nonsense)

// The launch itself (discovery, PAR, login, code exchange) runs on the app server, which answers its
// failures with its own Norwegian pages (server/http/pages.ts); the browser only meets these.
const RELAUNCH = 'Lukk denne fanen og start appen på nytt fra journalen.';

const TEXT: Record<LaunchErrorCode, { title: string; message: string; action: string }> = {
  'not-launched': {
    title: 'Appen er ikke startet fra journalen',
    message: 'Primærhelseteam må åpnes fra journalsystemet, slik at du blir logget inn og riktig pasient eller praksis velges.',
    action: 'Start appen fra pasientens journal eller fra praksisens appmeny i journalsystemet.',
  },
  'session-expired': {
    title: 'Økten er utløpt',
    message: 'Økten ble avsluttet av sikkerhetshensyn (for lenge uten bruk, for lang økt, eller tilgangen fra journalsystemet er utløpt).',
    action: RELAUNCH,
  },
  'logged-out': {
    title: 'Du er logget ut',
    message: 'Du har logget ut av Primærhelseteam.',
    action: RELAUNCH,
  },
  'server-unreachable': {
    title: 'Får ikke kontakt med appserveren',
    message: 'Nettleseren fikk ikke svar fra Primærhelseteams server. Det er ikke journalsystemet som er problemet.',
    action: 'Sjekk nettverkstilkoblingen og last inn siden på nytt. Kontakt brukerstøtte hvis feilen gjentar seg.',
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
