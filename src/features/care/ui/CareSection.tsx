// «Behandlingsplan, LMG, IP» in the patient panel (issue 17 items 16, 17, 19): the care plans with goals
// (create, review, end; each written to the journal as a note), the medication review followed through (the
// need is a task for the GP until done) and the individual plan (need, reported to the coordinating unit,
// coordinator). For GPs and nurses; the data is the app server's (/api/care).
import { useState, type FormEvent } from 'react';
import { Alert, Button, Heading, Paragraph, Tag, Textfield } from '@digdir/designsystemet-react';
import { IP_CHANNEL_LABELS, IP_REPORT_CHANNELS, type IpReportChannel } from '../../../domain/care';
import { JournalState } from '../../../platform/ui/JournalState';
import type { FeatureProps } from '../../../ui/featureProps';
import { formatDate, osloToday, parseDate } from '../../../ui/format';
import { Loading } from '../../../ui/Loading';
import {
  newClientId,
  useCompleteMedicationReview,
  useCreatePlan,
  useEndPlan,
  useIpCoordinator,
  usePatientCare,
  useRecordIpNeed,
  useRecordMedicationReviewNeed,
  useRecordNoMedicationReviewNeed,
  useReportIp,
  useReviewPlan,
  type CarePlan,
  type PatientCare,
} from '../api';
import './care.css';

const CONDITION = { diabetes: 'Diabetes', kols: 'KOLS' } as const;

function Journal({ state }: { state: 'pending' | 'written' | 'failed' | null }) {
  return state ? <JournalState state={state} /> : null;
}

function useMessage() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setMessage({ ok: true, text: done });
      return true;
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : 'Ukjent feil.' });
      return false;
    }
  };
  const view = message ? (
    <Alert data-color={message.ok ? 'success' : 'danger'} data-size="sm" role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </Alert>
  ) : null;
  return { run, view, fail: (text: string) => setMessage({ ok: false, text }) };
}

/**
 * `onChanged`: called after a change that may move the target-group markers (a plan made or ended, a medication
 * review's need, answer or assessment), so the page that composes this section can reload them.
 */
export function CareSection({ patient, session, onChanged = () => undefined }: FeatureProps & { onChanged?: () => void }) {
  const ctx = session.handle ? { handle: session.handle } : {};
  const care = usePatientCare(ctx, patient?.id ?? '');
  if (!patient) return null;
  return (
    <section aria-labelledby="care-heading" className="pht-care">
      <Heading level={3} data-size="xs" id="care-heading">
        Behandlingsplan, LMG, IP
      </Heading>
      {care.isPending && <Loading text="Henter behandlingsplaner" />}
      {care.isError && <Alert data-color="danger" data-size="sm">{care.error.message}</Alert>}
      {care.data && (
        <>
          <Plans data={care.data} ctx={ctx} onChanged={onChanged} />
          <MedicationReview data={care.data} ctx={ctx} onChanged={onChanged} />
          <IndividualPlanPart data={care.data} ctx={ctx} />
        </>
      )}
    </section>
  );
}

type Ctx = { handle?: string };

function Plans({ data, ctx, onChanged }: { data: PatientCare; ctx: Ctx; onChanged: () => void }) {
  const create = useCreatePlan(ctx);
  const msg = useMessage();
  const [goals, setGoals] = useState('');
  const [clientId, setClientId] = useState(newClientId);
  const active = data.plans.filter((p) => p.status === 'active');
  const free = (data.carePlanDiseases ?? []).filter((d) => !active.some((p) => p.condition === d));
  const [condition, setCondition] = useState<'diabetes' | 'kols' | undefined>();
  const chosen = condition ?? free[0];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = goals.split('\n').map((g) => g.trim()).filter(Boolean);
    if (!chosen) return;
    if (list.length === 0) return msg.fail('Behandlingsmål: skriv minst ett mål (ett per linje).');
    if (await msg.run(() => create.mutateAsync({ patientId: data.patientId, id: clientId, condition: chosen, goals: list }), 'Behandlingsplanen er lagret.')) {
      setGoals('');
      setClientId(newClientId());
      onChanged();
    }
  };
  return (
    <div className="pht-care-part">
      <Heading level={4} data-size="2xs">
        Behandlingsplan {data.needsCarePlan && <Tag data-color="warning">trenger behandlingsplan</Tag>}
      </Heading>
      {data.carePlanDiseases?.length === 0 && <Paragraph data-size="sm">Pasienten har ikke diabetes eller KOLS i journalen.</Paragraph>}
      {data.plans.map((plan) => (
        <PlanCard key={plan.id} plan={plan} ctx={ctx} onChanged={onChanged} />
      ))}
      {free.length > 0 && (
        <form onSubmit={(e) => void submit(e)} className="pht-care-form" aria-label="Ny behandlingsplan">
          {free.length > 1 && (
            <label>
              Sykdom{' '}
              <select value={chosen} onChange={(e) => setCondition(e.target.value as 'diabetes' | 'kols')}>
                {free.map((d) => (
                  <option key={d} value={d}>
                    {CONDITION[d]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <Textfield
            label={`Behandlingsmål for ${chosen === 'kols' ? 'KOLS' : 'diabetes'} (ett per linje)`}
            multiline
            rows={3}
            value={goals}
            onChange={(e) => setGoals(e.target.value)}
          />
          <Button type="submit" data-size="sm" disabled={create.isPending}>
            Opprett behandlingsplan
          </Button>
        </form>
      )}
      {msg.view}
    </div>
  );
}

function PlanCard({ plan, ctx, onChanged }: { plan: CarePlan; ctx: Ctx; onChanged: () => void }) {
  const review = useReviewPlan(ctx);
  const end = useEndPlan(ctx);
  const msg = useMessage();
  const [note, setNote] = useState('');
  const [date, setDate] = useState(formatDate(osloToday(new Date())));
  const [reviewId, setReviewId] = useState(newClientId);
  const parsedDate = () => {
    const d = parseDate(date, 'Dato');
    if (!d.ok) msg.fail(d.message);
    return d.ok ? d.value : undefined;
  };
  const onReview = async () => {
    const d = parsedDate();
    if (!d) return;
    if (!note.trim()) return msg.fail('Notat: skriv hva evalueringen viste.');
    if (await msg.run(() => review.mutateAsync({ planId: plan.id, id: reviewId, date: d, note: note.trim() }), 'Evalueringen er lagret.')) {
      setNote('');
      setReviewId(newClientId());
    }
  };
  const onEnd = async () => {
    const d = parsedDate();
    if (!d) return;
    if (await msg.run(() => end.mutateAsync({ planId: plan.id, date: d, version: plan.version, ...(note.trim() ? { note: note.trim() } : {}) }), 'Behandlingsplanen er avsluttet.')) onChanged();
  };
  return (
    <article className="pht-care-plan" data-status={plan.status} aria-label={`Behandlingsplan ${CONDITION[plan.condition]}`}>
      <Paragraph data-size="sm">
        <strong>{CONDITION[plan.condition]}</strong> – {plan.status === 'active' ? `aktiv siden ${formatDate(plan.createdAt.slice(0, 10))}` : `avsluttet ${formatDate(plan.endedOn ?? '')}`}
      </Paragraph>
      <ol className="pht-care-goals">
        {plan.goals.map((g, i) => (
          <li key={i}>{g}</li>
        ))}
      </ol>
      <Journal state={plan.journal} />
      {plan.reviews.length > 0 && (
        <ul className="pht-care-reviews" aria-label="Evalueringer">
          {plan.reviews.map((r) => (
            <li key={r.id}>
              Evaluert {formatDate(r.reviewedOn)}: {r.note} <Journal state={r.journal} />
            </li>
          ))}
        </ul>
      )}
      {plan.status === 'active' && (
        <div className="pht-care-form">
          <Textfield label="Dato (dd.mm.åååå)" value={date} onChange={(e) => setDate(e.target.value)} className="pht-care-date" />
          <Textfield label="Notat" multiline rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="pht-care-buttons">
            <Button type="button" data-size="sm" onClick={() => void onReview()} disabled={review.isPending}>
              Registrer evaluering
            </Button>
            <Button type="button" data-size="sm" variant="secondary" onClick={() => void onEnd()} disabled={end.isPending}>
              Avslutt planen
            </Button>
          </div>
        </div>
      )}
      {msg.view}
    </article>
  );
}

const ANSWER = { done: 'utført', 'not-needed': 'ikke nødvendig' } as const;

function MedicationReview({ data, ctx, onChanged }: { data: PatientCare; ctx: Ctx; onChanged: () => void }) {
  const need = useRecordMedicationReviewNeed(ctx);
  const none = useRecordNoMedicationReviewNeed(ctx);
  const answer = useCompleteMedicationReview(ctx);
  const msg = useMessage();
  const [reason, setReason] = useState('');
  const [due, setDue] = useState('');
  const [needId, setNeedId] = useState(newClientId);
  const [date, setDate] = useState(formatDate(osloToday(new Date())));
  const [note, setNote] = useState('');
  const open = data.tasks.find((t) => t.status === 'open');
  const answered = data.tasks.filter((t) => t.status !== 'open').at(-1);
  const assessed = data.medicationAssessments.at(-1);
  const busy = need.isPending || none.isPending || answer.isPending;
  const onNeed = async () => {
    if (!reason.trim()) return msg.fail('Begrunnelse: skriv hvorfor pasienten trenger legemiddelgjennomgang.');
    let dueDate: string | undefined;
    if (due.trim()) {
      const d = parseDate(due, 'Frist');
      if (!d.ok) return msg.fail(d.message);
      dueDate = d.value;
    }
    if (await msg.run(() => need.mutateAsync({ patientId: data.patientId, id: needId, reason: reason.trim(), ...(dueDate ? { due: dueDate } : {}) }), 'Lagret: fastlegen har fått en oppgave om legemiddelgjennomgang.')) {
      setReason('');
      setDue('');
      setNeedId(newClientId());
      onChanged();
    }
  };
  const onNone = async () => {
    if (await msg.run(() => none.mutateAsync({ patientId: data.patientId, id: needId, ...(reason.trim() ? { reason: reason.trim() } : {}) }), 'Lagret: ikke behov for legemiddelgjennomgang nå.')) {
      setReason('');
      setNeedId(newClientId());
      onChanged();
    }
  };
  const onAnswer = async (status: 'done' | 'not-needed') => {
    const d = parseDate(date, 'Dato');
    if (!d.ok) return msg.fail(d.message);
    if (!open) return;
    const text = status === 'done' ? 'Legemiddelgjennomgangen er registrert som utført.' : 'Lagret: legemiddelgjennomgang ikke nødvendig.';
    if (await msg.run(() => answer.mutateAsync({ taskId: open.id, date: d.value, status, ...(note.trim() ? { note: note.trim() } : {}) }), text)) {
      setNote('');
      onChanged();
    }
  };
  return (
    <div className="pht-care-part" data-testid="care-medication-review">
      <Heading level={4} data-size="2xs">
        Legemiddelgjennomgang (LMG) {open && <Tag data-color="warning">oppgave hos fastlegen</Tag>}
      </Heading>
      {answered && (
        <Paragraph data-size="sm" data-testid="care-medication-answer">
          Fastlegen svarte {formatDate(answered.doneOn ?? '')}: {ANSWER[answered.status as 'done' | 'not-needed']}
          {answered.doneNote ? ` – ${answered.doneNote}` : ''}. <Journal state={answered.journal ?? null} />
        </Paragraph>
      )}
      {assessed && (
        <Paragraph data-size="sm">
          Vurdert {formatDate(assessed.assessedOn)}: ikke behov nå{assessed.note ? ` – ${assessed.note}` : ''}. <Journal state={assessed.journal} />
        </Paragraph>
      )}
      {open ? (
        <div className="pht-care-form">
          <Paragraph data-size="sm">
            Oppgave til fastlegen siden {formatDate(open.createdAt.slice(0, 10))}
            {open.due ? `, frist ${formatDate(open.due)}` : ''}: {open.reason}
          </Paragraph>
          <Textfield label="Dato (dd.mm.åååå)" value={date} onChange={(e) => setDate(e.target.value)} className="pht-care-date" />
          <Textfield label="Notat til teamet (valgfritt)" value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="pht-care-buttons">
            <Button type="button" data-size="sm" onClick={() => void onAnswer('done')} disabled={busy}>
              Registrer legemiddelgjennomgang utført
            </Button>
            <Button type="button" data-size="sm" variant="secondary" onClick={() => void onAnswer('not-needed')} disabled={busy}>
              Ikke nødvendig
            </Button>
          </div>
        </div>
      ) : (
        <div className="pht-care-form">
          <Textfield label="Begrunnelse / merknad" value={reason} onChange={(e) => setReason(e.target.value)} />
          <Textfield label="Frist (dd.mm.åååå, valgfri)" value={due} onChange={(e) => setDue(e.target.value)} className="pht-care-date" />
          <div className="pht-care-buttons">
            <Button type="button" data-size="sm" variant="secondary" onClick={() => void onNeed()} disabled={busy}>
              Registrer behov (oppgave til fastlegen)
            </Button>
            <Button type="button" data-size="sm" variant="tertiary" onClick={() => void onNone()} disabled={busy}>
              Ikke behov nå
            </Button>
          </div>
        </div>
      )}
      {msg.view}
    </div>
  );
}

function IndividualPlanPart({ data, ctx }: { data: PatientCare; ctx: Ctx }) {
  const need = useRecordIpNeed(ctx);
  const report = useReportIp(ctx);
  const coordinator = useIpCoordinator(ctx);
  const msg = useMessage();
  const [id] = useState(newClientId);
  const [date, setDate] = useState(formatDate(osloToday(new Date())));
  const [how, setHow] = useState<IpReportChannel>('elektronisk-melding');
  const [name, setName] = useState('');
  const ip = data.ip;
  const d = () => {
    const parsed = parseDate(date, 'Dato');
    if (!parsed.ok) msg.fail(parsed.message);
    return parsed.ok ? parsed.value : undefined;
  };
  return (
    <div className="pht-care-part">
      <Heading level={4} data-size="2xs">
        Individuell plan (IP)
      </Heading>
      {ip && (
        <Paragraph data-size="sm">
          Behov registrert {formatDate(ip.neededOn)}.
          {ip.reportedOn && ` Meldt til koordinerende enhet ${formatDate(ip.reportedOn)} (${IP_CHANNEL_LABELS[ip.reportedHow ?? 'brev']}).`}
          {ip.coordinatorName ? ` Koordinator: ${ip.coordinatorName} (fra ${formatDate(ip.coordinatorOn ?? '')}).` : ip.reportedOn ? ' Venter på koordinator.' : ' Ikke meldt til koordinerende enhet ennå.'}
        </Paragraph>
      )}
      {ip?.stage !== 'coordinator' && (
        <div className="pht-care-form">
          <Textfield label="Dato (dd.mm.åååå)" value={date} onChange={(e) => setDate(e.target.value)} className="pht-care-date" />
          {!ip && (
            <Button type="button" data-size="sm" variant="secondary" onClick={() => { const v = d(); if (v) void msg.run(() => need.mutateAsync({ patientId: data.patientId, id, date: v }), 'Behovet for individuell plan er registrert.'); }}>
              Registrer behov for individuell plan
            </Button>
          )}
          {ip?.stage === 'needed' && (
            <>
              <label>
                Meldt via{' '}
                <select value={how} onChange={(e) => setHow(e.target.value as IpReportChannel)}>
                  {IP_REPORT_CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {IP_CHANNEL_LABELS[c]}
                    </option>
                  ))}
                </select>
              </label>
              <Button type="button" data-size="sm" onClick={() => { const v = d(); if (v) void msg.run(() => report.mutateAsync({ patientId: data.patientId, date: v, how, version: ip.version }), 'Meldingen til koordinerende enhet er registrert.'); }}>
                Registrer meldt til koordinerende enhet
              </Button>
            </>
          )}
          {ip?.stage === 'reported' && (
            <>
              <Textfield label="Koordinator (navn)" value={name} onChange={(e) => setName(e.target.value)} />
              <Button type="button" data-size="sm" onClick={() => { const v = d(); if (!name.trim()) return msg.fail('Koordinator: skriv navnet.'); if (v) void msg.run(() => coordinator.mutateAsync({ patientId: data.patientId, name: name.trim(), date: v, version: ip.version }), 'Koordinatoren er registrert.'); }}>
                Registrer koordinator
              </Button>
            </>
          )}
        </div>
      )}
      {msg.view}
    </div>
  );
}
