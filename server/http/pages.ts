// The server's own Norwegian pages (issue 14 items 2 and 4; issue 12 item 13): each says what happened
// and that the app must be started again from the journal. Plain HTML, no script, no inline style (the
// CSP forbids both), every interpolated value escaped.
import type { EndReason } from '../smart/sessions';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const RESTART = 'Lukk denne fanen og start appen på nytt fra journalen.';

export interface Page {
  status: number;
  title: string;
  paragraphs: string[];
}

export function renderPage(page: Page): string {
  const body = page.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n      ');
  return `<!doctype html>
<html lang="nb">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(page.title)} – Primærhelseteam</title>
    <link rel="stylesheet" href="/server-pages.css" />
  </head>
  <body>
    <main class="pht-server-page" data-testid="server-page">
      <h1>${escapeHtml(page.title)}</h1>
      ${body}
    </main>
  </body>
</html>
`;
}

export const PAGE_CSS = 'body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2127}' +
  '.pht-server-page{max-width:40rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;border:1px solid #d5d9de}' +
  'h1{font-size:1.5rem;margin-top:0}';

export function unknownEpjPage(iss: string): Page {
  return {
    status: 400,
    title: 'Ukjent journalsystem',
    paragraphs: [
      `Appen er ikke registrert for journalsystemet på adressen ${iss}, og har derfor ikke kontaktet det.`,
      'Hvis dette er journalsystemet deres, må praksisen eller leverandøren registrere det hos driftsansvarlig for Primærhelseteam.',
      RESTART,
    ],
  };
}

export function missingIssPage(): Page {
  return {
    status: 400,
    title: 'Appen er ikke startet fra journalen',
    paragraphs: ['Appen ble åpnet uten adressen til journalsystemet (iss), og vet derfor ikke hvor den skal logge inn.', 'Start appen fra pasientens journal eller fra praksisens appmeny i journalsystemet.'],
  };
}

const END_TEXT: Record<EndReason, { title: string; why: string }> = {
  idle: { title: 'Økten er utløpt', why: 'Appen har ikke vært i bruk på en stund, så økten ble avsluttet av sikkerhetshensyn.' },
  absolute: { title: 'Økten er utløpt', why: 'Økten har vart så lenge den kan, og ble avsluttet av sikkerhetshensyn.' },
  expired: { title: 'Økten er utløpt', why: 'Tilgangen fra journalsystemet er utløpt og kunne ikke fornyes.' },
  logout: { title: 'Du er logget ut', why: 'Du har logget ut av Primærhelseteam. Ingen pasientopplysninger er igjen i nettleseren.' },
  missing: { title: 'Økten finnes ikke', why: 'Denne fanen hører ikke til en pågående økt (den kan være avsluttet, eller startet i en annen nettleser).' },
};

export function endedPage(reason: EndReason): Page {
  const text = END_TEXT[reason];
  return { status: reason === 'logout' ? 200 : 401, title: text.title, paragraphs: [text.why, RESTART] };
}

export function endReasonText(reason: EndReason): { title: string; why: string } {
  return END_TEXT[reason];
}

const FAILURE_TEXT: Record<string, { title: string; why: string }> = {
  'discovery-failed': { title: 'Får ikke kontakt med journalsystemet', why: 'Appen fikk ikke hentet påloggingsoppsettet (smart-configuration) fra journalsystemet. Journalsystemet kan være nede eller blokkere appen.' },
  's256-unsupported': { title: 'Journalsystemet støtter ikke sikker pålogging', why: 'Journalsystemet oppgir ikke støtte for PKCE med S256, som appen krever. Appen startes derfor ikke.' },
  'par-unsupported': { title: 'Journalsystemet støtter ikke sikker pålogging', why: 'Registreringen krever PAR (pushed authorization requests), men journalsystemet tilbyr det ikke.' },
  'authorization-denied': { title: 'Appen fikk ikke tilgang', why: 'Journalsystemet ga ikke appen tilgang.' },
  'token-error': { title: 'Påloggingen mislyktes', why: 'Journalsystemet godtok ikke innloggingen da appen skulle hente tilgang.' },
  'id-token-invalid': { title: 'Påloggingen kunne ikke bekreftes', why: 'Identiteten fra journalsystemet (id_token) kunne ikke bekreftes.' },
  'unknown-state': { title: 'Påloggingen kunne ikke bekreftes', why: 'Svaret fra påloggingen hører ikke til en pålogging som ble startet i denne nettleseren, eller den er allerede brukt. Av sikkerhetshensyn stoppes den.' },
};

export function failurePage(code: string, detail?: string): Page {
  const text = FAILURE_TEXT[code] ?? { title: 'Påloggingen mislyktes', why: 'Noe gikk galt under oppstarten.' };
  return { status: code === 'discovery-failed' ? 502 : 400, title: text.title, paragraphs: [text.why, ...(detail ? [`Teknisk detalj: ${detail}`] : []), RESTART] };
}
