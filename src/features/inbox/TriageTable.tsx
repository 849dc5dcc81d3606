// The secretary's triage table (issue 17 item 14): one compact row per message, sortable, overdue and
// due-soon first, with the opening of the epikrise and the triage in the row. A message without a
// discharge date, or a «ingen oppfølging» with its reason, opens the full form in a row under it.
import { useState } from 'react';
import { Button, Select, Table, Tag } from '@digdir/designsystemet-react';
import type { FollowUpCloseReason } from '../../domain/followUp';
import type { ApiContext } from '../../platform/api';
import type { NurseOption } from '../../state/followUpTeam';
import { useEpikrisePreview } from '../follow-up/api';
import { Countdown, PatientName, TargetStatusTag } from './MessageFacts';
import type { InboxView } from './model';
import { nextTriageSort, sortTriageRows, type TriageSort, type TriageSortColumn } from './sort';
import { TriageForm, type RowAction } from './TriageForm';

interface Props {
  ctx: ApiContext;
  rows: readonly InboxView[];
  nurses: readonly NurseOption[];
  defaultNurseId: string | undefined;
  today: string;
  actions: Record<string, RowAction>;
  sort: TriageSort;
  onSort: (sort: TriageSort) => void;
  onCreate: (row: InboxView, input: { owner?: string; confirmDate?: string }) => void;
  onNone: (row: InboxView, input: { reason: FollowUpCloseReason; note?: string; confirmDate?: string }) => void;
}

const HEADERS: { id: TriageSortColumn | 'preview' | 'action'; text: string }[] = [
  { id: 'deadline', text: 'Frist' },
  { id: 'patient', text: 'Pasient' },
  { id: 'discharged', text: 'Utskrevet' },
  { id: 'institution', text: 'Fra' },
  { id: 'preview', text: 'Epikrise' },
  { id: 'action', text: 'Behandling' },
];

function Preview({ ctx, row }: { ctx: ApiContext; row: InboxView }) {
  const preview = useEpikrisePreview(ctx, row.summaryRef, row.patientId);
  if (!row.summaryRef) return <span className="pht-inbox-muted">Ingen epikrise ennå</span>;
  if (preview.isPending) return <span className="pht-inbox-muted">Henter …</span>;
  if (preview.isError) return <span className="pht-inbox-muted">Epikrisen kunne ikke hentes</span>;
  const text = preview.data.preview;
  return text ? (
    <span className="pht-triage-preview" title={text} data-testid="triage-preview">
      {text}
    </span>
  ) : (
    <span className="pht-inbox-muted">Uten tekst</span>
  );
}

function RowActions({ row, nurses, defaultNurseId, action, onCreate, onOpen }: { row: InboxView; nurses: readonly NurseOption[]; defaultNurseId: string | undefined; action: RowAction | undefined; onCreate: (owner?: string) => void; onOpen: () => void }) {
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const owner = picked ?? defaultNurseId ?? '';
  const saving = action?.status === 'saving';
  if (row.needsDateConfirmation) return <Tag data-color="warning" data-size="sm">Kontroller datoen under</Tag>;
  return (
    <div className="pht-triage-actions">
      <Select aria-label={`Sykepleier for ${row.patient?.name ?? 'pasienten'}`} data-size="sm" value={owner} onChange={(e) => setPicked(e.target.value)} disabled={saving} data-testid="triage-nurse">
        <Select.Option value="">Ikke fordelt</Select.Option>
        {nurses.map((n) => (
          <Select.Option key={n.id} value={n.id}>
            {n.name}
          </Select.Option>
        ))}
      </Select>
      <Button data-size="sm" onClick={() => onCreate(owner || undefined)} disabled={saving} data-testid="triage-create">
        {saving ? 'Oppretter …' : 'Opprett oppgave'}
      </Button>
      <Button data-size="sm" variant="tertiary" onClick={onOpen} disabled={saving} data-testid="triage-none-open">
        Ingen oppfølging …
      </Button>
    </div>
  );
}

export function TriageTable({ ctx, rows, nurses, defaultNurseId, today, actions, sort, onSort, onCreate, onNone }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const sorted = sortTriageRows(rows, sort);
  return (
    <Table data-size="sm" className="pht-triage-table" data-testid="triage-table">
      <caption className="pht-visually-hidden">Meldinger til behandling, mest haster først</caption>
      <Table.Head>
        <Table.Row>
          {HEADERS.map((h) =>
            h.id === 'preview' || h.id === 'action' ? (
              <Table.HeaderCell key={h.id}>{h.text}</Table.HeaderCell>
            ) : (
              <Table.HeaderCell key={h.id} sort={sort.column === h.id ? sort.direction : 'none'} onClick={() => onSort(nextTriageSort(sort, h.id as TriageSortColumn))} data-testid={`triage-sort-${h.id}`}>
                {h.text}
              </Table.HeaderCell>
            ),
          )}
        </Table.Row>
      </Table.Head>
      {/* One tbody per message: its row and, when open, the form under it belong together. */}
      {sorted.map((row) => {
          const expanded = row.needsDateConfirmation || open.has(row.key) || actions[row.key]?.status === 'error';
          const action = actions[row.key];
          return (
            <Table.Body key={row.key} data-testid="inbox-message" data-key={row.key}>
            <Table.Row>
              <Table.Cell className="pht-triage-deadline">{row.deadline ? <Countdown row={row} /> : 'Ingen frist'}</Table.Cell>
              <Table.Cell>
                <PatientName row={row} />
                <div>
                  <TargetStatusTag row={row} />
                </div>
                {row.warnings.filter((w) => !/utskrivningsdato/i.test(w)).map((w) => (
                  <div key={w} className="pht-inbox-missing" data-testid="triage-warning">
                    {w}
                  </div>
                ))}
              </Table.Cell>
              <Table.Cell className={row.needsDateConfirmation ? 'pht-inbox-missing' : undefined}>{row.dischargeDateText}</Table.Cell>
              <Table.Cell title={row.institution.name ?? undefined} className="pht-triage-institution">
                {row.institution.name ?? 'Ukjent'}
              </Table.Cell>
              <Table.Cell className="pht-triage-preview-cell">
                <Preview ctx={ctx} row={row} />
              </Table.Cell>
              <Table.Cell>
                <RowActions
                  row={row}
                  nurses={nurses}
                  defaultNurseId={defaultNurseId}
                  action={action}
                  onCreate={(owner) => onCreate(row, owner ? { owner } : {})}
                  onOpen={() => setOpen((s) => new Set([...s, row.key]))}
                />
              </Table.Cell>
            </Table.Row>
            {expanded && (
              <Table.Row className="pht-triage-detail">
                <Table.Cell colSpan={HEADERS.length}>
                  <TriageForm
                    row={row}
                    nurses={nurses}
                    defaultNurseId={defaultNurseId}
                    today={today}
                    action={action}
                    initialMode={row.needsDateConfirmation ? 'task' : 'none'}
                    onCreate={(input) => onCreate(row, input)}
                    onNone={(input) => onNone(row, input)}
                    onCancel={row.needsDateConfirmation ? undefined : () => setOpen((s) => new Set([...s].filter((k) => k !== row.key)))}
                  />
                </Table.Cell>
              </Table.Row>
            )}
            </Table.Body>
          );
        })}
    </Table>
  );
}
