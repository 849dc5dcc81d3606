// One weak demander: who, why (groups), the latest recorded outreach, and the form to record one.
import { useState } from 'react';
import { Button, Tag } from '@digdir/designsystemet-react';
import type { FhirClient } from '../../fhir/client';
import type { PopulationRow } from '../../fhir/population';
import { TARGET_GROUP_DISPLAY, type OutreachRecord, type Recorder } from '../../fhir/targetGroups';
import { formatDate } from '../../ui/format';
import { OutreachForm, NEED_TEXT } from './OutreachForm';

interface Props {
  row: PopulationRow;
  client: FhirClient;
  recorder: Recorder;
  onOpen?: () => void;
  onRecorded: (record: OutreachRecord) => void;
}

export function OutreachRow({ row, client, recorder, onOpen, onRecorded }: Props) {
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
          client={client}
          recorder={recorder}
          onDone={(record) => {
            setOpen(false);
            if (record) onRecorded(record);
          }}
        />
      )}
    </li>
  );
}

function outreachText(r: OutreachRecord): string {
  const offer = r.offer ? ` ${r.offer.text ?? (r.offer.kind === 'home-visit' ? 'Hjemmebesøk' : 'Konsultasjon')}.` : '';
  return `Vurdert ${formatDate(r.date)}: ${NEED_TEXT[r.need].toLowerCase()}.${offer}${r.note ? ` ${r.note}` : ''}`;
}
