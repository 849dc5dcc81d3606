// The filterable, sortable patient list (virtualised: smooth with 20,000 rows) and the CSV export.
import { useMemo, useState } from 'react';
import { Button, Paragraph, Select } from '@digdir/designsystemet-react';
import { TARGET_GROUPS } from '../../domain/targetGroups';
import { TARGET_GROUP_DISPLAY, type PopulationRow } from '../../domain/targetGroups/views';
import type { GpView } from '../../fhir/populationTeam';
import { PatientSearchField } from '../../ui/PatientSearchField';
import { DataTable, type Column, type SortState } from '../../ui/DataTable';
import { osloToday } from '../../ui/format';
import { downloadCsv } from '../../platform/csv';
import { listCsv } from './csv';
import { DEFAULT_FILTER, filterRows, sortRows, type ListFilter, type Marker } from './filters';

const MARKER_TEXT: Readonly<Record<Marker, string>> = {
  weakDemander: 'svak etterspørrer',
  needsMedicationReview: 'trenger legemiddelgjennomgang',
  needsCarePlan: 'trenger behandlingsplan',
};

const MARKERS: readonly Marker[] = ['weakDemander', 'needsMedicationReview', 'needsCarePlan'];

interface Props {
  rows: readonly PopulationRow[];
  gps: readonly GpView[];
  /** False for the health secretary: no clinical evidence. */
  clinical: boolean;
  onOpen?: (row: PopulationRow) => void;
  /** Called after a CSV export, for the audit log (SPEC §8: exports are logged). */
  onExport?: (count: number, filter: ListFilter) => void;
}

export function columns(clinical: boolean): Column<PopulationRow>[] {
  const cols: Column<PopulationRow>[] = [
    { id: 'name', header: 'Navn', width: '2fr', sortable: true, cell: (r) => r.name },
    { id: 'age', header: 'Alder', width: '4rem', sortable: true, cell: (r) => (r.age === undefined ? '–' : String(r.age)) },
    { id: 'gp', header: 'Fastlege', width: '1.3fr', sortable: true, cell: (r) => r.gpName ?? '–' },
  ];
  if (!clinical) {
    // The secretary sees list membership only, never which clinical group or marker (SPEC §1; issue 17 item 7).
    cols.push({ id: 'groups', header: 'Oppfølging', width: '2fr', sortable: true, cell: (r) => (r.inTargetGroup ? 'I målgruppe' : '–') });
    return cols;
  }
  cols.push(
    {
      id: 'groups',
      header: 'Målgrupper',
      width: '2.5fr',
      sortable: true,
      cell: (r) => r.groups.map((g) => `${TARGET_GROUP_DISPLAY[g.group]} (${g.confirmed ? 'bekreftet' : 'forslag'})`).join(', ') || '–',
    },
    {
      id: 'markers',
      header: 'Markeringer',
      width: '2fr',
      sortable: true,
      cell: (r) => MARKERS.filter((m) => r[m]).map((m) => MARKER_TEXT[m]).join(', ') || '–',
    },
    {
      id: 'reasons',
      header: 'Begrunnelse',
      width: '2.5fr',
      cell: (r) => {
        const reasons = r.reasons.filter((x) => x.rule.startsWith('team') === false).map((x) => x.text).join('; ');
        const unchecked = (r.unchecked ?? []).map((u) => u.text).join('; ');
        if (!unchecked) return reasons || '–';
        return (
          <>
            {reasons ? `${reasons}; ` : ''}
            <span className="pht-lo-unchecked" data-testid="row-unchecked">
              {unchecked}
            </span>
          </>
        );
      },
    },
  );
  return cols;
}

export function PatientList({ rows, gps, clinical, onOpen, onExport }: Props) {
  const [filter, setFilter] = useState<ListFilter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<SortState>({ column: 'name', direction: 'ascending' });
  const shown = useMemo(() => sortRows(filterRows(rows, filter), sort), [rows, filter, sort]);
  const cols = useMemo(() => columns(clinical), [clinical]);
  const set = (patch: Partial<ListFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const onSort = (column: string) =>
    setSort((s) => ({ column, direction: s.column === column && s.direction === 'ascending' ? 'descending' : 'ascending' }));

  return (
    <div className="pht-lo-list">
      <div className="pht-lo-filters" role="search" aria-label="Filtrer pasientlisten">
        <PatientSearchField value={filter.text} onChange={(text) => set({ text })} testId="filter-name" className="pht-lo-search" />
        <label className="pht-lo-select">
          Målgruppe
          <Select value={filter.group} onChange={(e) => set({ group: toGroupFilter(e.target.value) })} data-testid="filter-group">
            <Select.Option value="in-any">I minst én målgruppe</Select.Option>
            <Select.Option value="everyone">Hele listen</Select.Option>
            {clinical && <Select.Option value="unchecked">Kriterier som ikke kunne sjekkes</Select.Option>}
            {clinical &&
              TARGET_GROUPS.map((g) => (
                <Select.Option key={g} value={g}>
                  {TARGET_GROUP_DISPLAY[g]}
                </Select.Option>
              ))}
          </Select>
        </label>
        {clinical && (
        <label className="pht-lo-select">
            Markering
            <Select value={filter.marker} onChange={(e) => set({ marker: toMarker(e.target.value) })} data-testid="filter-marker">
              <Select.Option value="none">Alle</Select.Option>
              {MARKERS.map((m) => (
                <Select.Option key={m} value={m}>
                  {MARKER_TEXT[m]}
                </Select.Option>
              ))}
            </Select>
          </label>
        )}
        {gps.length > 1 && (
          <label className="pht-lo-select">
            Fastlege
            <Select value={filter.gpId} onChange={(e) => set({ gpId: e.target.value })} data-testid="filter-gp">
              <Select.Option value="all">Alle fastleger</Select.Option>
              {gps.map((g) => (
                <Select.Option key={g.id} value={g.id}>
                  {g.name}
                </Select.Option>
              ))}
            </Select>
          </label>
        )}
        <Button variant="secondary" onClick={() => {
            downloadCsv(`malgrupper-${osloToday(new Date())}.csv`, listCsv(shown, { clinical }));
            onExport?.(shown.length, filter);
          }} data-testid="csv-export">
          Eksporter CSV
        </Button>
      </div>
      <Paragraph data-size="sm" aria-live="polite" data-testid="list-count">
        Viser {shown.length} av {rows.length} pasienter.{onOpen ? ' Velg en rad for å åpne pasienten.' : ''}
      </Paragraph>
      <DataTable
        label="Pasienter i listen"
        rows={shown}
        columns={cols}
        rowKey={(r) => r.patientId}
        rowLabel={(r) => r.name}
        sort={sort}
        onSort={onSort}
        onRowOpen={onOpen}
        testId="patient-table"
      />
    </div>
  );
}

function toGroupFilter(value: string): ListFilter['group'] {
  return value === 'in-any' || value === 'everyone' || value === 'unchecked' ? value : (TARGET_GROUPS.find((g) => g === value) ?? 'in-any');
}

function toMarker(value: string): ListFilter['marker'] {
  return MARKERS.find((m) => m === value) ?? 'none';
}
