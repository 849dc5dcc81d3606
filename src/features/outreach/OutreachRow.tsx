// One weak demander: who, why (groups), the latest recorded outreach, and the form to record one.
import { useState } from 'react';
import { Button, Tag } from '@digdir/designsystemet-react';
import { TARGET_GROUP_DISPLAY, type OutreachRecord, type PopulationRow } from '../../domain/targetGroups/views';
import { JournalState } from '../../platform/ui/JournalState';
import { formatDate } from '../../ui/format';
import type { ApiContext } from '../target-groups/api';
import { OutreachForm, NEED_TEXT } from './OutreachForm';

interface Props {
  row: PopulationRow;
  api: ApiContext;
  authorName: string;
  onOpen?: () => void;
}

export function OutreachRow({ row, api, authorName, onOpen }: Props) {
  const [open, setOpen] = useState(false);
  const headingId = `or-${row.patientId}`;
  return (
    <li className="pht-or-item" aria-labelledby={headingId} data-testid={`outreach-${row.patientId}`}>
      <div className="pht-or-head">
        <strong id={headingId}>{row.name}</strong>
        {row.age !== undefined && <span>{row.age} år</span>}
        {row.groups.map((g) => (
          <Tag key={g.group} data-color={g.confirmed ? 'success' : 'info'}>
            {TARGET_GROUP_DISPLAY[g.group]} ({g.confirmed ? 'bekreftet' : 'forslag'})
          </Tag>
        ))}
      </div>
      <p className="pht-or-status" data-testid="outreach-status">
        {row.outreach ? outreachText(row.outreach) : 'Ikke vurdert ennå.'}
      </p>
      {row.outreach?.journal !== undefined && (
        <div className="pht-or-journal" data-testid="outreach-journal">
          <JournalState state={row.outreach.journal} />
        </div>
      )}
      <div className="pht-or-actions">
        {!open && (
          <Button data-size="sm" onClick={() => setOpen(true)} aria-describedby={headingId} data-testid="outreach-record">
            Registrer vurdering og tilbud
          </Button>
        )}
        {onOpen && (
          <Button data-size="sm" variant="tertiary" onClick={onOpen} aria-describedby={headingId}>
            Åpne pasienten
          </Button>
        )}
      </div>
      {open && (
        <OutreachForm
          patientId={row.patientId}
          patientName={row.name}
          api={api}
          authorName={authorName}
          onDone={() => setOpen(false)}
        />
      )}
    </li>
  );
}

function outreachText(r: OutreachRecord): string {
  const offer = r.offer ? ` ${r.offer.kind === 'home-visit' ? 'Hjemmebesøk' : 'Konsultasjon'} ${formatDate(r.offer.date)}, ${r.offer.accepted ? 'takket ja' : 'takket nei'}.` : '';
  return `Vurdert ${formatDate(r.date)}: ${NEED_TEXT[r.need].toLowerCase()}.${offer}${r.note ? ` ${r.note}` : ''}`;
}
