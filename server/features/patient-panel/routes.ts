// GET /api/panel/:patientId (issue 14, issue 19 point 1): everything the patient panel shows at first paint
// in one response. The panel is a composition page: this route imports no other slice. It asks the app's
// own routes (target groups, care, follow-up, the day's charges, the EPJ's capabilities) and the FHIR proxy
// (the patient's Coverage) in parallel, in-process, with the browser's own cookie and tab handle, so each
// part keeps its own role check, compartment check, audit line and error message. The answer holds each
// part's status and body; the browser puts the parts that succeeded in its cache and reads the rest itself
// (showing the same errors as before).
import { Hono } from 'hono';
import * as v from 'valibot';

/** The parts the panel may ask for, and where each is read. */
export const PANEL_PARTS = {
  capabilities: () => '/api/capabilities',
  targetGroups: (p: string) => `/api/target-groups/patients/${encodeURIComponent(p)}`,
  care: (p: string) => `/api/care/patients/${encodeURIComponent(p)}`,
  followUp: (p: string) => `/api/follow-up/patients/${encodeURIComponent(p)}`,
  day: (p: string, day: string) => `/api/contact-copay/patients/${encodeURIComponent(p)}/days/${day}`,
  copayFacts: (p: string) => `/api/contact-copay/patients/${encodeURIComponent(p)}/copay-facts`,
} as const;
export type PanelPart = keyof typeof PANEL_PARTS;
const PART_NAMES = Object.keys(PANEL_PARTS) as PanelPart[];

export interface PanelPartAnswer {
  status: number;
  body: unknown;
  /** Why the session ended, when a part was refused with 401 (the x-pht-session-ended header). */
  ended?: string;
}
export interface PanelResponse {
  patientId: string;
  day: string | null;
  parts: Partial<Record<PanelPart, PanelPartAnswer>>;
}

export interface PanelDeps {
  /**
   * One GET to this app server, in-process, with the given request headers (cookie, tab handle). `panel` is
   * one object per panel, the same for each of its parts: the app server resolves the session once per panel
   * rather than once per part (issue 19 point 2), as the parts carry the same cookie and handle.
   */
  dispatch: (path: string, headers: Headers, panel: object) => Promise<Response>;
}

const PatientId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9\-.]{1,64}$/, 'Ugyldig pasient-id (patientId).'));
const Query = v.object({
  parts: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').filter(Boolean)),
      v.array(v.picklist(PART_NAMES, `Ukjent del i «parts»; gyldige er ${PART_NAMES.join(', ')}.`)),
    ),
  ),
  day: v.optional(v.pipe(v.string(), v.isoDate('Ugyldig dato i «day» (åååå-mm-dd).'))),
});

const ENDED_HEADER = 'x-pht-session-ended';

const FORWARDED = ['cookie', 'x-pht-handle', 'user-agent'];

/** The parts a panel shows for a team role: GP and nurse register contacts and follow up; others see the target groups. */
export function partsFor(role: string | undefined): PanelPart[] {
  return role === 'gp' || role === 'nurse' ? PART_NAMES : ['capabilities', 'targetGroups'];
}

/** The request headers a part is asked with: the browser's session cookie and tab handle. */
export function forwardedHeaders(header: (name: string) => string | undefined): Headers {
  const headers = new Headers({ accept: 'application/json' });
  for (const name of FORWARDED) {
    const value = header(name);
    if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Asks for `parts` of patient `patientId`'s panel in parallel; each answer as the part's own route gave it. */
export async function composePanel(deps: PanelDeps, headers: Headers, patientId: string, parts: readonly PanelPart[], day: string | undefined): Promise<PanelResponse> {
  const panel = {};
  const answers = await Promise.all(
    parts.map(async (part): Promise<[PanelPart, PanelPartAnswer]> => {
      const path = PANEL_PARTS[part](patientId, day ?? '');
      const partHeaders = new Headers(headers);
      try {
        const res = await deps.dispatch(path, partHeaders, panel);
        const text = await res.text();
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        const ended = res.status === 401 ? res.headers.get(ENDED_HEADER) : null;
        return [part, { status: res.status, body, ...(ended ? { ended } : {}) }];
      } catch {
        return [part, { status: 502, body: { error: 'Får ikke kontakt med appserveren.' } }];
      }
    }),
  );
  return { patientId, day: day ?? null, parts: Object.fromEntries(answers) };
}

export function panelRoutes(deps: PanelDeps): Hono {
  const app = new Hono();
  app.get('/:patientId', async (c) => {
    const id = v.safeParse(PatientId, c.req.param('patientId'));
    if (!id.success) return c.json({ error: id.issues[0].message }, 400);
    const query = v.safeParse(Query, { parts: c.req.query('parts'), day: c.req.query('day') });
    if (!query.success) return c.json({ error: query.issues[0].message }, 400);
    const day = query.output.day;
    const parts = query.output.parts ?? PART_NAMES.filter((p) => p !== 'day' || day !== undefined);
    if (parts.includes('day') && day === undefined) return c.json({ error: 'Dagen mangler (day) når «day» er med i «parts».' }, 400);
    const response = await composePanel(deps, forwardedHeaders((n) => c.req.header(n)), id.output, parts, day);
    // A part refused because the session is over ends the session for the whole panel (the browser's
    // relaunch page), as the part's own request would have.
    const ended = Object.values(response.parts).find((a) => a.status === 401);
    if (ended) return c.json(ended.body ?? { error: 'Økten er utløpt.' }, 401, ended.ended ? { [ENDED_HEADER]: ended.ended } : {});
    return c.json(response);
  });
  return app;
}
