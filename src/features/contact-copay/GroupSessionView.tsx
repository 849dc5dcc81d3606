// «Gruppetime» (issue 17 item 20; seed ch. 4.3 «gruppetilbud»; SPEC §5: S4 for each participant): the
// nurse or GP picks time and topic, adds participants from any GP list of the practice by the patient
// search, sees each participant's egenandel before saving (the pure rule the server decides with), and
// registers the session in one step; the result table shows what the server decided for each. Only in a
// practice launch (it shows several patients, SPEC §8). Nothing typed is lost when a save fails, and the
// session id stays the same until «Ny gruppetime», so a resend never charges anyone twice.
import { useMemo, useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Heading, Paragraph, Search, Table, Tag, Textarea, Textfield, Select } from '@digdir/designsystemet-react';
import { decideGroupCopay, GROUP_SESSION_LINES, MAX_GROUP_PARTICIPANTS, type GroupCopayDecision } from '../../domain/groupSession';
import { copayReasonLabel } from '../../domain/copay';
import { matchesPatientSearch } from '../../domain/patientSearch';
import { catalogueInForce, defaultCatalogues, tariffInForce } from '../../domain/tariffs';
import { gpIdOf, loadListedPatients, loadPracticeTeam } from '../../fhir/populationTeam';
import { toPatientSummary } from '../../fhir/sessionContext';
import { ApiError } from '../../platform/api';
import { isOsloLocalMinute, localDay, osloLocalMinute, osloLocalToIso } from '../../state/contactTime';
import { DateField } from '../../ui/DateField';
import type { FeatureProps } from '../../ui/featureProps';
import { formatDate, formatKr } from '../../ui/format';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { copayFactsQuery, dayQuery, type CopayFacts } from './api';
import { registerGroupSession, type GroupParticipantResult, type GroupSessionResult } from './groupApi';
import { copayPatientOf, todaysCharges } from './model';
import './groupSession.css';

interface Candidate {
  id: string;
  name: string;
  birthDate?: string;
  gpName: string;
}

interface Participant extends Candidate {
  /** The answer to «Er pasienten allerede belastet egenandel i dag?»; undefined = not answered here. */
  paidElsewhere?: boolean;
}

const TOPICS = ['Diabetesgruppe', 'KOLS-skole', 'Hjertegruppe', 'Mestringsgruppe', 'Pårørendegruppe'];

const newId = () => crypto.randomUUID();

function decisionText(d: GroupCopayDecision | undefined): string {
  if (!d) return 'Henter …';
  switch (d.kind) {
    case 'charged':
      return `${formatKr(d.amount)} betales`;
    case 'waived':
      return `${formatKr(0)} (${formatKr(d.amount)} frafalt): ${d.reasonLabel}`;
    case 'none':
      return formatKr(0);
    case 'unknown':
      return 'Svar på om egenandel er belastet i dag';
  }
}

function resultEgenandel(r: GroupParticipantResult): string {
  if (r.status !== 'registered' && r.status !== 'already-registered') return '–';
  const c = r.charge;
  if (c.charged > 0) return `${formatKr(c.charged)} betales`;
  if (c.waived > 0) return `${formatKr(0)} (${formatKr(c.waived)} frafalt)`;
  return formatKr(0);
}

const STATUS: Record<GroupParticipantResult['status'], string> = {
  registered: 'Registrert',
  'already-registered': 'Allerede registrert',
  'needs-answer': 'Ikke registrert: svar mangler',
  refused: 'Ikke registrert',
};

export default function GroupSessionView({ client, session, user }: FeatureProps) {
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const queryClient = useQueryClient();
  const [sessionId, setSessionId] = useState(newId);
  const [start, setStart] = useState(() => osloLocalMinute(new Date()));
  const [minutes, setMinutes] = useState('60');
  const [topic, setTopic] = useState('');
  const [note, setNote] = useState('');
  const [query, setQuery] = useState('');
  const [participants, setParticipants] = useState<Participant[]>([]);
  /** When the user last tried to register: from then on the form's problems are shown as they are fixed. */
  const [checkedAt, setCheckedAt] = useState<number | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<GroupSessionResult | undefined>(undefined);
  const [saveError, setSaveError] = useState<string | undefined>(undefined);

  // Every GP list of the practice, searched in the browser with the app's one patient search.
  const team = useQuery({ queryKey: ['practice-team', user.practitionerId], queryFn: ({ signal }) => loadPracticeTeam(client, user.practitionerId, signal), staleTime: 10 * 60_000 });
  const listed = useQuery({
    queryKey: ['group-session', 'listed', team.data?.gps.map((g) => g.id).join(',') ?? ''],
    queryFn: async ({ signal }): Promise<Candidate[]> => {
      const names = new Map((team.data?.gps ?? []).map((g) => [g.id, g.name]));
      const patients = await loadListedPatients(client, [...names.keys()], { signal });
      return patients.map((p) => {
        const s = toPatientSummary(p);
        const gp = gpIdOf(p);
        return { id: s.id, name: s.name, ...(s.birthDate ? { birthDate: s.birthDate } : {}), gpName: (gp && names.get(gp)) ?? 'Ukjent fastlege' };
      });
    },
    enabled: Boolean(team.data),
    staleTime: 5 * 60_000,
  });
  const found = useMemo(() => {
    if (query.trim().length < 2) return [];
    const chosen = new Set(participants.map((p) => p.id));
    return (listed.data ?? []).filter((c) => !chosen.has(c.id) && matchesPatientSearch(c, query)).slice(0, 8);
  }, [listed.data, query, participants]);

  const startIso = isOsloLocalMinute(start) ? osloLocalToIso(start) : undefined;
  const day = startIso ? localDay(start) : undefined;
  const s4 = useMemo(() => {
    if (!day) return undefined;
    const catalogue = catalogueInForce(defaultCatalogues, day);
    return catalogue ? tariffInForce(catalogue, 'S4', day) : undefined;
  }, [day]);

  // Each participant's co-payment facts (Coverage from the EPJ) and that day's team charges (the app server).
  const facts = useQueries({
    // The co-payment facts as the app server reads them from the EPJ (also where it gives no Coverage).
    queries: participants.map((p) => ({ ...copayFactsQuery(api, p.id), select: (f: CopayFacts) => copayPatientOf(f, day ?? '', false) })),
  });
  const days = useQueries({ queries: participants.map((p) => ({ ...dayQuery(api, p.id, day ?? ''), enabled: Boolean(day) })) });
  const readError = [...facts, ...days].find((q) => q.error)?.error;
  const preview = useMemo(() => {
    const out = new Map<string, GroupCopayDecision>();
    if (!startIso || !s4) return out;
    participants.forEach((p, i) => {
      const copay = facts[i]?.data;
      const dayView = days[i]?.data;
      if (!copay || !dayView) return;
      const today = todaysCharges(dayView, copay.patient);
      const recorded = today.paidElsewhere;
      const [d] = decideGroupCopay(
        [{ patientId: p.id, patient: copay.patient, dayCharges: today.dayCharges, needsAnswer: recorded === undefined, ...((p.paidElsewhere ?? recorded) === undefined ? {} : { paidElsewhere: p.paidElsewhere ?? recorded }) }],
        s4.egenandel,
        startIso,
      );
      if (d) out.set(p.id, d);
    });
    return out;
  }, [participants, facts, days, startIso, s4]);
  const recordedAnswer = (i: number) => days[i]?.data?.paidElsewhere;

  const locked = result !== undefined;
  const add = (c: Candidate) => {
    if (participants.length >= MAX_GROUP_PARTICIPANTS) return;
    setParticipants((ps) => [...ps, c]);
    setQuery('');
  };
  const remove = (id: string) => setParticipants((ps) => ps.filter((p) => p.id !== id));
  const answer = (id: string, value: string) => setParticipants((ps) => ps.map((p) => (p.id === id ? { ...p, paidElsewhere: value === '' ? undefined : value === 'ja' } : p)));

  function validate(now: number): string[] {
    const out: string[] = [];
    if (!startIso) out.push('Tidspunkt: skriv dato og klokkeslett som dd.mm.åååå tt:mm.');
    else if (Date.parse(startIso) > now + 60_000) out.push('Tidspunkt: kan ikke være fram i tid.');
    if (!topic.trim()) out.push('Tema: skriv hva gruppetimen handlet om, for eksempel Diabetesgruppe.');
    const m = Number(minutes);
    if (minutes.trim() && (!Number.isInteger(m) || m < 1 || m > 600)) out.push('Varighet: skriv et helt antall minutter mellom 1 og 600.');
    if (participants.length === 0) out.push('Deltakere: legg til minst én deltaker.');
    if (participants.length > MAX_GROUP_PARTICIPANTS) out.push(`Deltakere: en gruppetime kan ha høyst ${MAX_GROUP_PARTICIPANTS} deltakere.`);
    const unanswered = participants.filter((p, i) => p.paidElsewhere === undefined && recordedAnswer(i) === undefined).map((p) => p.name);
    if (unanswered.length) out.push(`Svar på om pasienten allerede er belastet egenandel i dag for: ${unanswered.join(', ')}.`);
    if (readError) out.push('Opplysningene om egenandel kunne ikke leses for alle deltakerne. Prøv igjen.');
    return out;
  }

  async function submit() {
    const now = Date.now();
    const problems = validate(now);
    setCheckedAt(now);
    setSaveError(undefined);
    if (problems.length || !startIso) return;
    setSaving(true);
    try {
      const body = {
        id: sessionId,
        start: startIso,
        ...(minutes.trim() ? { minutes: Number(minutes) } : {}),
        topic: topic.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
        participants: participants.map((p, i) => {
          const copay = facts[i]?.data?.patient ?? (p.birthDate ? { birthDate: p.birthDate } : {});
          const paid = p.paidElsewhere ?? recordedAnswer(i);
          return { patientId: p.id, patient: copay, ...(paid === undefined ? {} : { paidElsewhereToday: paid }) };
        }),
      };
      const saved = await registerGroupSession(api, body);
      setResult(saved);
      void queryClient.invalidateQueries({ queryKey: ['contact-copay', 'day'] });
    } catch (error) {
      setSaveError(error instanceof ApiError ? `${error.message}${error.status === 0 || error.status >= 500 ? ' Prøv igjen; ingen blir belastet to ganger.' : ''}` : 'Gruppetimen kunne ikke lagres. Prøv igjen.');
    } finally {
      setSaving(false);
    }
  }

  function reset() {
    setSessionId(newId());
    setParticipants([]);
    setTopic('');
    setNote('');
    setResult(undefined);
    setCheckedAt(undefined);
    setSaveError(undefined);
    setStart(osloLocalMinute(new Date()));
  }

  const names = new Map(participants.map((p) => [p.id, p]));
  // Once the user has tried to register, the problems follow what is typed (a fixed one disappears).
  const errors = checkedAt === undefined ? [] : validate(checkedAt);
  const chargedTotal = result?.participants.reduce((sum, r) => sum + ('charge' in r ? r.charge.charged : 0), 0) ?? 0;
  const registered = result?.participants.filter((r) => r.status === 'registered' || r.status === 'already-registered').length ?? 0;
  const s4Text = s4 ? `${GROUP_SESSION_LINES[0]?.code ?? 'S4'} ${s4.text}, honorar ${formatKr(s4.honorar)}, egenandel ${formatKr(s4.egenandel)}${s4.egenandelIsDemo ? ', demoverdi' : ''}` : 'S4 Gruppeoppfølging';

  return (
    <section aria-labelledby="group-session-heading" className="pht-group" data-testid="group-session">
      <Heading level={2} data-size="sm" id="group-session-heading">
        Gruppetime
      </Heading>
      <Paragraph data-size="sm">
        Hver deltaker får sin egen takst ({s4Text}) og egenandelen avgjøres for hver deltaker som for en enkelt kontakt: én egenandel per pasient per dag, fritak ved frikort og under 16 år.
      </Paragraph>

      <div className="pht-group-fields">
        <DateField label="Tidspunkt" kind="date-time" value={start} onChange={setStart} disabled={locked} data-testid="group-start" />
        <Textfield label="Varighet (min)" inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} disabled={locked} data-testid="group-minutes" />
        <Textfield label="Tema" list="group-topics" value={topic} onChange={(e) => setTopic(e.target.value)} disabled={locked} data-testid="group-topic" autoComplete="off" />
        <datalist id="group-topics">
          {TOPICS.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </div>
      <Textarea
        aria-label="Journalnotat (skrives i journalen til hver deltaker)"
        placeholder="Journalnotat: skrives i journalen til hver deltaker, så ikke skriv om enkeltpasienter."
        rows={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        disabled={locked}
        data-testid="group-note"
      />

      {!locked && (
        <div className="pht-group-search">
          <Search data-size="sm">
            <Search.Input aria-label="Legg til deltaker: søk på navn eller fødselsdato" placeholder="Legg til deltaker: navn eller fødselsdato" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="group-search" />
            <Search.Clear onClick={() => setQuery('')} />
          </Search>
          {(team.isPending || listed.isFetching) && <Loading text="Henter pasientene på praksisens lister …" />}
          {team.isError && <LoadError what="praksisens fastleger" error={team.error} onRetry={() => void team.refetch()} />}
          {listed.isError && <LoadError what="pasientlistene" error={listed.error} onRetry={() => void listed.refetch()} />}
          {participants.length >= MAX_GROUP_PARTICIPANTS && <Paragraph data-size="sm">Gruppetimen har {MAX_GROUP_PARTICIPANTS} deltakere, det høyeste antallet.</Paragraph>}
          {found.length > 0 && (
            <ul className="pht-group-found" aria-label="Treff">
              {found.map((c) => (
                <li key={c.id}>
                  <Button variant="tertiary" data-size="sm" onClick={() => add(c)} aria-label={`Legg til ${c.name}`}>
                    + {c.name}
                  </Button>
                  <span className="pht-group-meta">
                    {c.birthDate ? `f. ${formatDate(c.birthDate)}` : ''} · {c.gpName}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {query.trim().length >= 2 && listed.data && found.length === 0 && <Paragraph data-size="sm">Ingen treff.</Paragraph>}
        </div>
      )}

      {participants.length === 0 && (
        <Paragraph data-size="sm" data-testid="group-empty">
          Ingen deltakere ennå. Søk opp pasientene over: alle fastlegelistene i praksisen er med.
        </Paragraph>
      )}
      {participants.length > 0 && !result?.complete && (
        <div className="pht-table-scroll">
          <Table data-size="sm" data-testid="group-preview">
            <caption>Deltakere ({participants.length}) og egenandel før lagring</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>Pasient</Table.HeaderCell>
                <Table.HeaderCell>Fastlege</Table.HeaderCell>
                <Table.HeaderCell>Belastet egenandel i dag?</Table.HeaderCell>
                <Table.HeaderCell>Egenandel</Table.HeaderCell>
                <Table.HeaderCell>
                  <span className="ds-sr-only">Handling</span>
                </Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {participants.map((p, i) => {
                const recorded = recordedAnswer(i);
                return (
                  <Table.Row key={p.id} data-testid={`group-row-${p.id}`}>
                    <Table.Cell>
                      {p.name}
                      {p.birthDate && <span className="pht-group-meta"> f. {formatDate(p.birthDate)}</span>}
                    </Table.Cell>
                    <Table.Cell>{p.gpName}</Table.Cell>
                    <Table.Cell>
                      {recorded !== undefined ? (
                        <span>{recorded ? 'Ja (registrert)' : 'Nei (registrert)'}</span>
                      ) : (
                        <Select aria-label={`Belastet egenandel i dag: ${p.name}`} data-size="sm" value={p.paidElsewhere === undefined ? '' : p.paidElsewhere ? 'ja' : 'nei'} onChange={(e) => answer(p.id, e.target.value)}>
                          <Select.Option value="">Velg …</Select.Option>
                          <Select.Option value="nei">Nei</Select.Option>
                          <Select.Option value="ja">Ja, belastet i dag</Select.Option>
                        </Select>
                      )}
                    </Table.Cell>
                    <Table.Cell className="pht-group-egenandel" data-testid="group-preview-egenandel">{decisionText(preview.get(p.id))}</Table.Cell>
                    <Table.Cell>
                      {!locked && (
                        <Button variant="tertiary" data-size="sm" onClick={() => remove(p.id)} aria-label={`Fjern ${p.name}`}>
                          Fjern
                        </Button>
                      )}
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table>
        </div>
      )}

      {errors.length > 0 && (
        <Alert data-color="warning" role="alert" data-testid="group-errors">
          {errors.map((e) => (
            <Paragraph key={e} data-size="sm">
              {e}
            </Paragraph>
          ))}
        </Alert>
      )}
      {saveError && (
        <Alert data-color="danger" role="alert" data-testid="group-save-error">
          <Paragraph data-size="sm">Gruppetimen ble ikke lagret: {saveError}</Paragraph>
        </Alert>
      )}

      {result && (
        <Paragraph role="status" data-testid="group-summary">
          {registered} av {result.participants.length} deltakere registrert, {formatKr(chargedTotal)} i egenandel til sammen. Journalnotatene sendes til journalen.
        </Paragraph>
      )}
      {result && (
        <div className="pht-table-scroll">
          <Table data-size="sm" data-testid="group-result">
            <caption>
              Registrert {formatDate(result.day)}: {topic.trim()}
            </caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>Pasient</Table.HeaderCell>
                <Table.HeaderCell>Takst</Table.HeaderCell>
                <Table.HeaderCell>Egenandel</Table.HeaderCell>
                <Table.HeaderCell>Årsak</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {result.participants.map((r) => (
                <Table.Row key={r.patientId} data-testid={`group-result-${r.patientId}`}>
                  <Table.Cell>{names.get(r.patientId)?.name ?? r.patientId}</Table.Cell>
                  <Table.Cell>{'charge' in r ? `${r.charge.code} ${r.charge.text}` : 'S4'}</Table.Cell>
                  <Table.Cell className="pht-group-egenandel" data-testid="group-result-egenandel">{resultEgenandel(r)}</Table.Cell>
                  <Table.Cell data-testid="group-result-reason">{'charge' in r ? (r.charge.reason ? copayReasonLabel(r.charge.reason) : '') : r.message}</Table.Cell>
                  <Table.Cell>
                    <Tag data-size="sm" data-color={r.status === 'registered' || r.status === 'already-registered' ? 'success' : 'warning'}>
                      {STATUS[r.status]}
                    </Tag>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
      {result && !result.complete && (
        <Alert data-color="warning" role="status">
          <Paragraph data-size="sm">Noen deltakere er ikke registrert. Rett opp og registrer på nytt: de som allerede er registrert, blir ikke belastet to ganger.</Paragraph>
        </Alert>
      )}

      <div className="pht-group-actions">
        {(!result || !result.complete) && (
          <Button onClick={() => void submit()} disabled={saving} data-testid="group-register">
            {saving ? 'Registrerer …' : result ? 'Registrer resten' : `Registrer gruppetimen (${participants.length} deltakere)`}
          </Button>
        )}
        {result && (
          <Button variant="secondary" onClick={reset} data-testid="group-new">
            Ny gruppetime
          </Button>
        )}
      </div>
    </section>
  );
}
