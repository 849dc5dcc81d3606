// The EPJ's pages (Norwegian bokmål): the launch page, the standalone picker and the error page.
import { describePatient, describeUser, type LaunchPatient, type LaunchUser } from './context';
import { html, layout, type Html } from './html';

export interface LaunchPageInput {
  users: LaunchUser[];
  patients: LaunchPatient[];
  query: string;
  selectedUser?: string;
  selectedPatient?: string;
  needPatientBanner: boolean;
  patientScopes: boolean;
  shortToken: boolean;
  /** The `app` origin override being carried along (tests, dev server). */
  app?: string;
  profile: 'helseid' | 'smart';
  /** The HelseID-like profile needs the app server registered as a confidential client. */
  helseidAvailable: boolean;
  fhirBaseUrls: { helseid: string; smart: string };
  /** The EPJ profile the sandbox plays now (absent: not switchable). */
  epj?: 'full' | 'narrow';
}

function userChoices(users: LaunchUser[], selected: string | undefined): Html {
  const checkedId = selected && users.some((u) => u.id === selected) ? selected : users[0]?.id;
  return html`<fieldset>
<legend>Bruker</legend>
${users.map((user) => html`<label><input type="radio" name="user" value="${user.id}" required${user.id === checkedId ? html` checked` : ''}> ${describeUser(user)}</label>
`)}
</fieldset>`;
}

/** `searchButton` is the attribute that makes "Søk" reload the page instead of submitting the choice. */
function patientChoices(patients: LaunchPatient[], query: string, selected: string | undefined, allowNone: boolean, searchButton: Html): Html {
  const noneChecked = !selected || !patients.some((p) => p.id === selected);
  return html`<fieldset>
<legend>Pasient</legend>
<label for="q">Søk etter navn eller fødselsnummer</label>
<input type="search" id="q" name="q" value="${query}">
<button type="submit" name="search" value="1" ${searchButton}>Søk</button>
${allowNone ? html`<label><input type="radio" name="patient" value=""${noneChecked ? html` checked` : ''}> Ingen pasient (praksisvisning)</label>
` : ''}${patients.map((patient) => html`<label><input type="radio" name="patient" value="${patient.id}"${patient.id === selected ? html` checked` : ''}> ${describePatient(patient)}</label>
`)}${patients.length === 0 ? html`<p class="hint">Ingen pasienter funnet.</p>` : ''}
</fieldset>`;
}

/**
 * `GET /`: the simulated EPJ's launch screen. One GET form; "Søk" reloads this page with the choices
 * kept, "Start appen" goes to /launch. Both are buttons with their own `formaction`, so no script.
 */
export function launchPage(input: LaunchPageInput): string {
  const body = html`<p>Velg hvem som er logget inn i journalsystemet og eventuelt hvilken pasient som er åpen, og start appen slik journalsystemet ville gjort.</p>
<form method="get" action="/launch">
${input.app ? html`<input type="hidden" name="app" value="${input.app}">` : ''}
${userChoices(input.users, input.selectedUser)}
${patientChoices(input.patients, input.query, input.selectedPatient, true, html`formaction="/" formnovalidate`)}
<fieldset>
<legend>Valg</legend>
<input type="hidden" name="banner" value="0">
<label><input type="checkbox" name="banner" value="1"${input.needPatientBanner ? html` checked` : ''}> Appen må vise pasientbanner (need_patient_banner)</label>
<label><input type="checkbox" name="patient_scopes" value="1"${input.patientScopes ? html` checked` : ''}> Begrens til pasientkontekst (patient/-scopes)</label>
<label><input type="checkbox" name="short_token" value="1"${input.shortToken ? html` checked` : ''}> Kort token-levetid (30 s)</label>
</fieldset>
<fieldset>
<legend>Innloggingsprofil</legend>
<label><input type="radio" name="profile" value="helseid"${input.profile === 'helseid' ? html` checked` : ''}${input.helseidAvailable ? '' : html` disabled`}> HelseID-lik (PAR + DPoP)</label>
<label><input type="radio" name="profile" value="smart"${input.profile === 'smart' ? html` checked` : ''}> SMART standard</label>
${input.helseidAvailable ? '' : html`<p class="hint">HelseID-lik profil krever at appserveren er registrert (--client-jwks).</p>`}
</fieldset>
${input.epj ? html`<fieldset>
<legend>Journalsystem (EPJ-profil)</legend>
<label><input type="radio" name="epj" value="full"${input.epj === 'full' ? html` checked` : ''}> Fullt: leser og skriver alle ressurstyper</label>
<label><input type="radio" name="epj" value="narrow"${input.epj === 'narrow' ? html` checked` : ''}> Smalt: som en norsk fastlegejournal (leser pasient, behandlere, kontakter og diagnoser; skriver bare journalnotat)</label>
<p class="hint">Valget gjelder hele sandkassen fra denne oppstarten.</p>
</fieldset>` : ''}
<button type="submit" class="primary">Start appen</button>
</form>
<p class="hint">FHIR-server (iss): ${input.fhirBaseUrls.helseid} (HelseID-lik) eller ${input.fhirBaseUrls.smart} (SMART standard)</p>`;
  return layout('Start Primærhelseteam', body);
}

export interface PickerPageInput {
  requestId: string;
  /** The issuer's picker endpoint (`/auth/authorize/select` or `/helseid/auth/authorize/select`). */
  action: string;
  clientName: string;
  users: LaunchUser[];
  /** Present when the app asked for `launch/patient`. */
  patients?: LaunchPatient[];
  query: string;
  selectedUser?: string;
  selectedPatient?: string;
  message?: string;
}

/** Standalone launch (no `launch` parameter): the EPJ asks who is logging in and, if needed, for a patient. */
export function pickerPage(input: PickerPageInput): string {
  const patientFieldset = input.patients
    ? patientChoices(input.patients, input.query, input.selectedPatient, false, html`formmethod="get" formnovalidate`)
    : undefined;
  const body = html`<p>${input.clientName} ber om tilgang. Velg bruker${input.patients ? ' og pasient' : ''}.</p>
${input.message ? html`<p class="alert" role="alert">${input.message}</p>` : ''}
<form method="post" action="${input.action}">
<input type="hidden" name="request" value="${input.requestId}">
${userChoices(input.users, input.selectedUser)}
${patientFieldset}
<button type="submit" class="primary" name="decision" value="allow">Fortsett</button>
<button type="submit" name="decision" value="deny" formnovalidate>Avbryt</button>
</form>`;
  return layout('Logg inn i appen', body);
}

export function errorPage(title: string, message: string): string {
  return layout(title, html`<p class="alert" role="alert">${message}</p>
<p><a href="/">Tilbake til startsiden</a></p>`);
}
