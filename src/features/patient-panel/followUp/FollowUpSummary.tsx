// The task at a glance: deadline and countdown, discharge, owner, outcome, and the attempts so far.
import { Paragraph, Tag } from '@digdir/designsystemet-react';
import { FOLLOW_UP_CLOSE_REASON_TEXT } from '../../../domain/followUp';
import { CHANNEL_TEXT, countdownColor, countdownText, formatOsloDateTime, FOLLOW_UP_STATUS_TEXT, OUTCOME_TEXT } from '../../../state/followUpFormat';
import type { FollowUpOutcome } from '../../../domain/followUp';
import { formatDate } from '../../../ui/format';
import type { FollowUp } from '../../follow-up/api';

/** The task as the section shows it: with its countdown, outcome as of today and people's names. */
export type FollowUpView = Omit<FollowUp, 'attempts' | 'closure' | 'outcome'> & {
  /** 0 = due today, > 0 left, < 0 overdue (SPEC §2). */
  workingDaysLeft: number;
  outcome: FollowUpOutcome;
  ownerName: string | undefined;
  attempts: (FollowUp['attempts'][number] & { byName: string })[];
  closure: (NonNullable<FollowUp['closure']> & { byName: string }) | null;
};

function Outcome({ view }: { view: FollowUpView }) {
  if (view.status === 'contacted') {
    const met = view.outcome === 'met';
    return (
      <Tag data-color={met ? 'success' : 'warning'} data-testid="fu-outcome">
        Kontaktet {OUTCOME_TEXT[met ? 'met' : 'late']}
      </Tag>
    );
  }
  if (view.status === 'closed' && view.closure) {
    return <Tag data-color="neutral" data-testid="fu-outcome">Lukket: {FOLLOW_UP_CLOSE_REASON_TEXT[view.closure.reason]}</Tag>;
  }
  return (
    <Tag data-color={countdownColor(view.workingDaysLeft)} data-testid="fu-countdown">
      {countdownText(view.workingDaysLeft)}
    </Tag>
  );
}

export function FollowUpSummary({ view }: { view: FollowUpView }) {
  return (
    <>
      <dl className="pht-fu-facts">
        <div>
          <dt>Frist</dt>
          <dd data-testid="fu-deadline">
            {formatDate(view.deadline)} <Outcome view={view} />
          </dd>
        </div>
        <div>
          <dt>Utskrevet</dt>
          <dd>
            {view.dischargeDate ? formatDate(view.dischargeDate) : 'utskrivningsdato ikke bekreftet'}
            {view.institution.name ? `, ${view.institution.name}` : ''}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="fu-status">{FOLLOW_UP_STATUS_TEXT[view.status]}</dd>
        </div>
        <div>
          <dt>Sykepleier</dt>
          <dd>{view.ownerName ?? 'Ikke fordelt'}</dd>
        </div>
      </dl>
      {view.dischargeDate === null && (
        <Paragraph data-size="sm">Utskrivningsdatoen er ikke bekreftet; fristen regnes fra meldingsdatoen.</Paragraph>
      )}
      {view.gpTasks.map((g) => (
        <Paragraph data-size="sm" data-testid="fu-gp-task" key={g.id}>
          {g.status === 'open'
            ? 'Fastlegen har fått oppgave om legemiddelendringer.'
            : `Fastlegen har svart: ${g.status === 'done' ? 'utført' : 'ikke nødvendig'}${g.answer ? ` (${g.answer})` : ''}.`}
        </Paragraph>
      ))}
      {view.closure?.note && <Paragraph data-size="sm">Merknad ved lukking: {view.closure.note}</Paragraph>}
      {view.attempts.length > 0 && (
        <ol className="pht-fu-attempts" aria-label="Kontaktforsøk" data-testid="fu-attempts">
          {view.attempts.map((a, i) => (
            <li key={a.id ?? i}>
              {formatOsloDateTime(a.at)}, {CHANNEL_TEXT[a.channel].toLowerCase()}, {a.byName}: {a.successful ? 'pasienten nådd' : 'ikke nådd'}
              {a.note ? ` (${a.note})` : ''}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
