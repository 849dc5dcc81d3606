// One target group: badge, reasons (rule, facts with code and date) and, for a GP, confirm/reject.
import { useState } from 'react';
import { Button, Tag } from '@digdir/designsystemet-react';
import type { FhirClient } from '../../../fhir/client';
import type { GroupStatus, GroupView, PatientTargetGroups, Recorder } from '../../../fhir/targetGroups';
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
  view: PatientTargetGroups;
  group: GroupView;
  canAssess: boolean;
  client: FhirClient;
  recorder: Recorder;
  onChange: (view: PatientTargetGroups) => void;
}

export function GroupCard({ view, group, canAssess, client, recorder, onChange }: Props) {
  const [assessing, setAssessing] = useState(false);
  const headingId = `tg-${group.group}`;
  return (
    <li className="pht-tg-group" aria-labelledby={headingId} data-testid={`target-group-${group.group}`} data-status={group.status}>
      <div className="pht-tg-group-head">
        <strong id={headingId}>{group.label}</strong>
        <Tag data-color={STATUS_COLOR[group.status]} data-testid="target-group-status">
          {STATUS_TEXT[group.status]}
        </Tag>
        {canAssess && !assessing && (
          <Button variant="secondary" data-size="sm" onClick={() => setAssessing(true)} aria-describedby={headingId}>
            Vurder
          </Button>
        )}
      </div>
      <ul className="pht-tg-reasons" aria-label={`Begrunnelse for ${group.label}`}>
        {group.reasons.map((r, i) => (
          <li key={`${r.rule}-${i}`}>
            <span className="pht-tg-rule">{r.text}</span>
            {r.evidence.length > 0 && <span className="pht-tg-evidence">: {r.evidence.join('; ')}</span>}
          </li>
        ))}
      </ul>
      {canAssess && assessing && (
        <AssessForm
          view={view}
          group={group}
          client={client}
          recorder={recorder}
          onDone={(next) => {
            setAssessing(false);
            if (next) onChange(next);
          }}
        />
      )}
    </li>
  );
}
