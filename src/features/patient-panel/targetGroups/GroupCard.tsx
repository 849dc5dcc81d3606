// One target group: badge, reasons (rule, facts with code and date) and, for a GP, confirm/reject.
import { useState } from 'react';
import { Button, Tag } from '@digdir/designsystemet-react';
import { TARGET_GROUP_DISPLAY, type AssessmentRecord, type GroupStatus, type GroupView } from '../../../domain/targetGroups/views';
import { JournalState } from '../../../platform/ui/JournalState';
import type { ApiContext } from '../../target-groups/api';
import { AssessForm } from './AssessForm';

const STATUS_TEXT: Readonly<Record<GroupStatus, string>> = {
  candidate: 'forslag',
  confirmed: 'bekreftet',
  rejected: 'avkreftet',
  'not-candidate': 'ikke kandidat',
};

const STATUS_COLOR: Readonly<Record<GroupStatus, 'info' | 'success' | 'neutral'>> = {
  candidate: 'info',
  confirmed: 'success',
  rejected: 'neutral',
  'not-candidate': 'neutral',
};

interface Props {
  patientId: string;
  group: GroupView;
  /** «Kunne ikke sjekkes: …» for this group (the EPJ does not give what the rule reads). */
  unchecked?: readonly string[];
  assessments: readonly AssessmentRecord[];
  canAssess: boolean;
  api: ApiContext;
  authorName: string;
}

export function GroupCard({ patientId, group, unchecked = [], assessments, canAssess, api, authorName }: Props) {
  const [assessing, setAssessing] = useState(false);
  const headingId = `tg-${group.group}`;
  const label = TARGET_GROUP_DISPLAY[group.group];
  const latest = [...assessments].reverse().find((a) => a.group === group.group);
  return (
    <li className="pht-tg-group" aria-labelledby={headingId} data-testid={`target-group-${group.group}`} data-status={group.status}>
      <div className="pht-tg-group-head">
        <strong id={headingId}>{label}</strong>
        <Tag data-color={STATUS_COLOR[group.status]} data-testid="target-group-status">
          {STATUS_TEXT[group.status]}
        </Tag>
        {canAssess && !assessing && (
          <Button variant="secondary" data-size="sm" onClick={() => setAssessing(true)} aria-describedby={headingId}>
            Vurder
          </Button>
        )}
      </div>
      <ul className="pht-tg-reasons" aria-label={`Begrunnelse for ${label}`}>
        {group.reasons.map((r, i) => (
          <li key={`${r.rule}-${i}`}>
            <span className="pht-tg-rule">{r.text}</span>
            {r.evidence.length > 0 && <span className="pht-tg-evidence">: {r.evidence.join('; ')}</span>}
          </li>
        ))}
      </ul>
      <UncheckedList texts={unchecked} />
      {latest?.journal !== undefined && (
        <div className="pht-tg-journal" data-testid="target-group-journal">
          <JournalState state={latest.journal} />
        </div>
      )}
      {canAssess && assessing && <AssessForm patientId={patientId} group={group.group} api={api} authorName={authorName} onDone={() => setAssessing(false)} />}
    </li>
  );
}

/** The criteria the journal system's data could not decide, beside the badges (issue 16 item 2). */
export function UncheckedList({ texts }: { texts: readonly string[] }) {
  if (texts.length === 0) return null;
  return (
    <ul className="pht-tg-unchecked" aria-label="Kriterier som ikke kunne sjekkes" data-testid="target-group-unchecked">
      {texts.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ul>
  );
}
