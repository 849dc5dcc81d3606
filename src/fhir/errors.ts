// The one typed error of the FHIR layer (STYLE habit 4): created only at the I/O boundary (the client
// wrapping fhir-kit-client's rejections, the launch, the patient guard), caught once per action and shown
// to the user in words. It always carries an OperationOutcome, so stores and the UI never need to know
// whether the problem came from the server, the network or our own checks.
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** An OperationOutcome body (a local guard: @medplum/core's would pull its whole bundle into the initial chunk). */
function isOperationOutcome(body: unknown): body is OperationOutcome {
  return typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}

export type FhirErrorKind =
  | 'expired' // our own check: the access token has passed expiresAt (no request was sent)
  | 'unauthorized' // 401 from the server: token rejected or expired there
  | 'forbidden' // 403: the grant does not cover this
  | 'not-found' // 404 / 410
  | 'conflict' // 409 / 412: someone else changed the resource (If-Match) or a duplicate
  | 'invalid' // 400 / 422 or a response we could not understand
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'network' // no HTTP response at all
  | 'aborted' // the caller aborted (AbortSignal); not shown as an error
  | 'wrong-patient'; // patient guard: data of another patient, never rendered

interface UserText {
  message: string;
  action: string;
}

const RELAUNCH = 'Start appen på nytt fra journalen.';

// Bokmål texts (GLOSSARY): what happened, and what the user can do about it.
const USER_TEXT: Record<FhirErrorKind, UserText> = {
  expired: { message: 'Økten er utløpt.', action: RELAUNCH },
  unauthorized: { message: 'Økten er utløpt eller ikke lenger gyldig.', action: RELAUNCH },
  forbidden: {
    message: 'Du mangler tilgang til disse opplysningene.',
    action: 'Be daglig leder eller leverandøren av journalsystemet om tilgang hvis du trenger den.',
  },
  'not-found': {
    message: 'Fant ikke opplysningene i journalsystemet. De kan være slettet eller flyttet.',
    action: 'Last inn på nytt. Hvis feilen gjentar seg, start appen på nytt fra journalen.',
  },
  conflict: {
    message: 'Noen andre har endret dette samtidig, så endringen din ble ikke lagret.',
    action: 'Last inn på nytt og gjør endringen en gang til.',
  },
  invalid: {
    message: 'Journalsystemet godtok ikke forespørselen.',
    action: 'Kontroller opplysningene og prøv igjen. Kontakt brukerstøtte hvis feilen gjentar seg.',
  },
  'rate-limited': {
    message: 'Journalsystemet er travelt akkurat nå.',
    action: 'Vent litt og prøv igjen.',
  },
  server: {
    message: 'Det oppstod en feil i journalsystemet.',
    action: 'Prøv igjen om litt. Kontakt brukerstøtte hvis feilen gjentar seg.',
  },
  network: {
    message: 'Får ikke kontakt med journalsystemet.',
    action: 'Sjekk nettverkstilkoblingen og prøv igjen.',
  },
  aborted: { message: 'Forespørselen ble avbrutt.', action: 'Prøv igjen.' },
  'wrong-patient': {
    message: 'Data tilhører en annen pasient og vises ikke.',
    action: 'Lukk appen og start den på nytt fra riktig pasientjournal.',
  },
};

// OperationOutcome.issue.code for each kind, for outcomes we synthesise ourselves.
const ISSUE_CODE: Record<FhirErrorKind, OperationOutcomeIssue['code']> = {
  expired: 'expired',
  unauthorized: 'login',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
  invalid: 'invalid',
  'rate-limited': 'throttled',
  server: 'exception',
  network: 'transient',
  aborted: 'incomplete',
  'wrong-patient': 'security',
};

export interface FhirErrorInit {
  kind: FhirErrorKind;
  status?: number;
  outcome?: OperationOutcome;
  /** Overrides the default user message for the kind. */
  userMessage?: string;
  /** Seconds the server asked us to wait (Retry-After), for 429/503. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class FhirError extends Error {
  readonly kind: FhirErrorKind;
  /** HTTP status, or undefined when no response was received or the check was ours. */
  readonly status: number | undefined;
  readonly outcome: OperationOutcome;
  /** What happened, in bokmål, for the user. */
  readonly userMessage: string;
  /** What the user can do, in bokmål. */
  readonly userAction: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: FhirErrorInit) {
    const text = USER_TEXT[init.kind];
    const userMessage = init.userMessage ?? text.message;
    super(userMessage, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'FhirError';
    this.kind = init.kind;
    this.status = init.status;
    this.userMessage = userMessage;
    this.userAction = text.action;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.outcome = init.outcome ?? outcomeFor(init.kind, userMessage);
  }

  /** Worth retrying for an idempotent request (SPEC §8 client rules; RFC 9110 §9.2.2). */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'server' || this.kind === 'rate-limited' || this.status === 408;
  }

  /** The session cannot continue: the user must relaunch from the EHR. */
  get needsRelaunch(): boolean {
    return this.kind === 'expired' || this.kind === 'unauthorized';
  }
}

export function isFhirError(value: unknown): value is FhirError {
  return value instanceof FhirError;
}

function outcomeFor(kind: FhirErrorKind, diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: ISSUE_CODE[kind], diagnostics }],
  };
}

export function kindForStatus(status: number): FhirErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status >= 500) return 'server';
  return 'invalid';
}


/** An HTTP error response: keeps the server's OperationOutcome when it sent one. */
export function fhirErrorFromResponse(status: number, body: unknown, retryAfterSeconds?: number): FhirError {
  const kind = kindForStatus(status);
  return new FhirError({
    kind,
    status,
    outcome: isOperationOutcome(body) ? body : undefined,
    retryAfterSeconds,
  });
}

/** No response at all: DNS, refused connection, CORS, offline. */
export function fhirErrorFromNetwork(cause: unknown): FhirError {
  return new FhirError({ kind: 'network', cause });
}

/** Our own refusal to send a request with an expired token (it would only earn a 401). */
export function expiredSessionError(): FhirError {
  return new FhirError({ kind: 'expired', userMessage: 'Økten er utløpt.' });
}

export function abortedError(cause?: unknown): FhirError {
  return new FhirError({ kind: 'aborted', cause });
}

export interface ErrorText {
  title?: string;
  message: string;
  action: string;
}

/**
 * The text the UI shows for any error: FhirError, LaunchError and UnknownRoleError all carry
 * `userMessage`/`userAction` (and maybe `title`); anything else gets a generic text.
 */
export function describeError(error: unknown): ErrorText {
  if (
    error instanceof Error &&
    'userMessage' in error &&
    typeof error.userMessage === 'string' &&
    'userAction' in error &&
    typeof error.userAction === 'string'
  ) {
    const title = 'title' in error && typeof error.title === 'string' ? error.title : undefined;
    return { title, message: error.userMessage, action: error.userAction };
  }
  return {
    message: 'Noe gikk galt i appen.',
    action: 'Last inn på nytt. Hvis feilen gjentar seg, start appen på nytt fra journalen.',
  };
}
