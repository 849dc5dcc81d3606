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

export function CareSection({ patient, session }: FeatureProps) {
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
          <Plans data={care.data} ctx={ctx} />
          <MedicationReview data={care.data} ctx={ctx} />
          <IndividualPlanPart data={care.data} ctx={ctx} />
        </>
      )}
    </section>
  );
}

type Ctx = { handle?: string };

function Plans({ data, ctx }: { data: PatientCare; ctx: Ctx }) {
  const create = useCreatePlan(ctx);
  const msg = useMessage();
  const [goals, setGoals] = useState('');
  const [clientId] = useState(newClientId);
  const active = data.plans.filter((p) => p.status === 'active');
  const free = (data.carePlanDiseases ?? []).filter((d) => !active.some((p) => p.condition === d));
  const [condition, setCondition] = useState<'diabetes' | 'kols' | undefined>();
  const chosen = condition ?? free[0];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = goals.split('\n').map((g) => g.trim()).filter(Boolean);
    if (!chosen) return;
    if (list.length === 0) return msg.fail('Behandlingsmål: skriv minst ett mål (ett per linje).');
    if (await msg.run(() => create.mutateAsync({ patientId: data.patientId, id: clientId, condition: chosen, goals: list }), 'Behandlingsplanen er lagret.')) setGoals('');
  };
  return (
    <div className="pht-care-part">
      <Heading level={4} data-size="2xs">
        Behandlingsplan {data.needsCarePlan && <Tag data-color="warning">trenger behandlingsplan</Tag>}
      </Heading>
      {data.carePlanDiseases?.length === 0 && <Paragraph data-size="sm">Pasienten har ikke diabetes eller KOLS i journalen.</Paragraph>}
      {data.plans.map((plan) => (
        <PlanCard key={plan.id} plan={plan} ctx={ctx} />
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

function PlanCard({ plan, ctx }: { plan: CarePlan; ctx: Ctx }) {
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
    await msg.run(() => end.mutateAsync({ planId: plan.id, date: d, version: plan.version, ...(note.trim() ? { note: note.trim() } : {}) }), 'Behandlingsplanen er avsluttet.');
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

function MedicationReview({ data, ctx }: { data: PatientCare; ctx: Ctx }) {
  const need = useRecordMedicationReviewNeed(ctx);
  const done = useCompleteMedicationReview(ctx);
  const msg = useMessage();
  const [reason, setReason] = useState('');
  const [needId] = useState(newClientId);
  const [date, setDate] = useState(formatDate(osloToday(new Date())));
  const open = data.tasks.find((t) => t.status === 'open');
  const last = data.tasks.filter((t) => t.status === 'done').at(-1);
  const onNeed = async () => {
    if (!reason.trim()) return msg.fail('Begrunnelse: skriv hvorfor pasienten trenger legemiddelgjennomgang.');
    await msg.run(() => need.mutateAsync({ patientId: data.patientId, id: needId, reason: reason.trim() }), 'Lagret: fastlegen har fått en oppgave om legemiddelgjennomgang.');
  };
  const onDone = async () => {
    const d = parseDate(date, 'Dato');
    if (!d.ok) return msg.fail(d.message);
    if (open) await msg.run(() => done.mutateAsync({ taskId: open.id, date: d.value }), 'Legemiddelgjennomgangen er registrert som utført.');
  };
  return (
    <div className="pht-care-part">
      <Heading level={4} data-size="2xs">
        Legemiddelgjennomgang (LMG) {open && <Tag data-color="warning">trenger legemiddelgjennomgang</Tag>}
      </Heading>
      {last && (
        <Paragraph data-size="sm">
          Sist utført {formatDate(last.doneOn ?? '')}. <Journal state={last.journal ?? null} />
        </Paragraph>
      )}
      {open ? (
        <div className="pht-care-form">
          <Paragraph data-size="sm">
            Oppgave til fastlegen siden {formatDate(open.createdAt.slice(0, 10))}: {open.reason}
          </Paragraph>
          <Textfield label="Utført dato (dd.mm.åååå)" value={date} onChange={(e) => setDate(e.target.value)} className="pht-care-date" />
          <Button type="button" data-size="sm" onClick={() => void onDone()} disabled={done.isPending}>
            Registrer legemiddelgjennomgang utført
          </Button>
        </div>
      ) : (
        <div className="pht-care-form">
          <Textfield label="Begrunnelse for behov for legemiddelgjennomgang" value={reason} onChange={(e) => setReason(e.target.value)} />
          <Button type="button" data-size="sm" variant="secondary" onClick={() => void onNeed()} disabled={need.isPending}>
            Registrer behov (oppgave til fastlegen)
          </Button>
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
