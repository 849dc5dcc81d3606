// Counts and shares per group, for the practice and per GP, against the source's 7-10 % estimate.
import { Paragraph, Table } from '@digdir/designsystemet-react';
import { TARGET_GROUPS } from '../../domain/targetGroups';
import { TARGET_GROUP_DISPLAY } from '../../domain/targetGroups/views';
import { formatShare, SOURCE_ESTIMATE, type Summary } from './summary';

/** `clinical` false (the health secretary): membership only, no columns per group (SPEC §1, §8). */
export function SummaryTable({ summaries, clinical }: { summaries: readonly Summary[]; clinical: boolean }) {
  const total = summaries[0];
  const groupsShown = clinical ? TARGET_GROUPS : [];
  if (!total) return null;
  const low = Math.round(SOURCE_ESTIMATE.low * 100);
  const high = Math.round(SOURCE_ESTIMATE.high * 100);
  return (
    <div className="pht-lo-summary" data-testid="list-summary">
      <Paragraph data-testid="list-share">
        <strong>{formatShare(total.inAnyGroup, total.patients)}</strong> av listen ({total.inAnyGroup} av {total.patients} pasienter) er i minst én
        målgruppe. Kilden anslår 7–10 % ({Math.round(total.patients * SOURCE_ESTIMATE.low)}–{Math.round(total.patients * SOURCE_ESTIMATE.high)} pasienter
        her), men kaller selv anslaget usikkert ({low}–{high} %).
      </Paragraph>
      <Table data-size="sm" zebra>
        <caption>{clinical ? 'Målgrupper per fastlege: forslag og bekreftet (andel av listen)' : 'I målgruppe per fastlege (andel av listen)'}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">Liste</Table.HeaderCell>
            <Table.HeaderCell scope="col">Pasienter</Table.HeaderCell>
            {groupsShown.map((g) => (
              <Table.HeaderCell scope="col" key={g}>
                {TARGET_GROUP_DISPLAY[g]}
              </Table.HeaderCell>
            ))}
            <Table.HeaderCell scope="col">I minst én gruppe</Table.HeaderCell>
            {clinical && <Table.HeaderCell scope="col">Svake etterspørrere</Table.HeaderCell>}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {summaries.map((s) => (
            <Table.Row key={s.key} data-testid={`summary-${s.key}`}>
              <Table.HeaderCell scope="row">{s.label}</Table.HeaderCell>
              <Table.Cell>{s.patients}</Table.Cell>
              {groupsShown.map((g) => {
                const c = s.byGroup[g];
                return (
                  <Table.Cell key={g} data-testid={`count-${s.key}-${g}`}>
                    {c.candidates} forslag, {c.confirmed} bekreftet ({formatShare(c.candidates + c.confirmed, s.patients)})
                  </Table.Cell>
                );
              })}
              <Table.Cell>
                {s.inAnyGroup} ({formatShare(s.inAnyGroup, s.patients)})
              </Table.Cell>
              {clinical && <Table.Cell>{s.weakDemanders}</Table.Cell>}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  );
}
