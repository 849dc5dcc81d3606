// The task at a glance: deadline and countdown, discharge, owner, outcome, and the attempts so far.
import { Paragraph, Tag } from '@digdir/designsystemet-react';
import { FOLLOW_UP_CLOSE_REASON_TEXT } from '../../../domain/followUp';
import { CHANNEL_TEXT, countdownColor, countdownText, formatOsloDateTime, FOLLOW_UP_STATUS_TEXT, OUTCOME_TEXT } from '../../../state/followUpFormat';
import type { FollowUpView } from '../../../state/followUpStore';
import { formatDate } from '../../../ui/format';

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
            {view.institution ? `, ${view.institution}` : ''}
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
      {view.dischargeDateUnconfirmed && (
        <Paragraph data-size="sm">Utskrivningsdatoen er ikke bekreftet; fristen regnes fra meldingsdatoen.</Paragraph>
      )}
      {view.gpTaskCount > 0 && <Paragraph data-size="sm" data-testid="fu-gp-task">Fastlegen har fått oppgave om legemiddelendringer.</Paragraph>}
      {view.closure?.note && <Paragraph data-size="sm">Merknad ved lukking: {view.closure.note}</Paragraph>}
      {view.attempts.length > 0 && (
        <ol className="pht-fu-attempts" aria-label="Kontaktforsøk" data-testid="fu-attempts">
          {view.attempts.map((a, i) => (
            <li key={`${a.at}-${i}`}>
              {formatOsloDateTime(a.at)}, {CHANNEL_TEXT[a.channel].toLowerCase()}, {a.byName}: {a.successful ? 'pasienten nådd' : 'ikke nådd'}
              {a.note ? ` (${a.note})` : ''}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
