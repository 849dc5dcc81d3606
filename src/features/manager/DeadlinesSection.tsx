// Frister: the share of discharge follow-ups contacted within 3 working days, per nurse (SPEC §7), with
// the late and missed follow-ups behind the figure.
import { Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { firstContactDate, FOLLOW_UP_CLOSE_REASON_TEXT, type DeadlineCompliance, type FollowUpTask, type OverdueTask } from '../../domain/followUp';
import type { ComplianceCase } from '../../domain/manager/managerFigures';
import { formatDate } from '../../ui/format';
import { formatShare } from './format';
import type { Names } from './names';

interface Props {
  compliance: DeadlineCompliance;
  cases: readonly ComplianceCase[];
  overdue: readonly OverdueTask<FollowUpTask>[];
  names: Names;
}

export function DeadlinesSection({ compliance, cases, overdue, names }: Props) {
  const { total } = compliance;
  return (
    <section aria-labelledby="deadlines-heading" className="pht-manager-section">
      <Heading level={3} data-size="xs" id="deadlines-heading">
        Oppfølging innen 3 arbeidsdager etter utskrivning
      </Heading>
      <OverdueNow overdue={overdue} asOf={compliance.asOf} names={names} />
      <Paragraph data-size="sm">
        Oppgaver med frist i perioden, per {formatDate(compliance.asOf)}. Andelen regnes av oppgavene som er avgjort (i tide, for sent eller uten kontakt).
      </Paragraph>
      <dl className="pht-manager-totals" data-testid="compliance-total">
        <div><dt>I tide</dt><dd>{formatShare(total.share)}</dd></div>
        <div><dt>Kontaktet i tide</dt><dd>{total.met}</dd></div>
        <div><dt>For sent</dt><dd>{total.late}</dd></div>
        <div><dt>Ikke kontaktet</dt><dd>{total.missed}</dd></div>
        <div><dt>Frist ikke passert</dt><dd>{total.pending}</dd></div>
        <div><dt>Lukket med grunn</dt><dd>{total.excluded}</dd></div>
      </dl>
      <Table data-size="sm" zebra className="pht-manager-table">
        <caption>Per sykepleier (ansvarlig for oppgaven)</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Sykepleier</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">I tide</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">For sent</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Ikke kontaktet</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Venter</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Andel i tide</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {compliance.byNurse.map((n) => (
            <Table.Row key={n.nurseId ?? 'none'}>
              <Table.Cell>{names.staff(n.nurseId)}</Table.Cell>
              <Table.Cell className="pht-num">{n.met}</Table.Cell>
              <Table.Cell className="pht-num">{n.late}</Table.Cell>
              <Table.Cell className="pht-num">{n.missed}</Table.Cell>
              <Table.Cell className="pht-num">{n.pending}</Table.Cell>
              <Table.Cell className="pht-num">{formatShare(n.share)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {compliance.byNurse.length === 0 && <Paragraph>Ingen oppfølgingsoppgaver med frist i perioden.</Paragraph>}
      {cases.length > 0 && (
        <Table data-size="sm" zebra className="pht-manager-table" data-testid="compliance-cases">
          <caption>For sent og ikke kontaktet</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>Frist</Table.HeaderCell>
              <Table.HeaderCell>Pasient</Table.HeaderCell>
              <Table.HeaderCell>Sykepleier</Table.HeaderCell>
              <Table.HeaderCell>Utfall</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {cases.map(({ task, outcome }) => {
              const first = firstContactDate(task.attempts, compliance.asOf);
              return (
                <Table.Row key={task.id}>
                  <Table.Cell>{formatDate(task.deadline)}</Table.Cell>
                  <Table.Cell>{names.patient(task.patientId)}</Table.Cell>
                  <Table.Cell>{names.staff(task.owner)}</Table.Cell>
                  <Table.Cell>
                    {outcome === 'late' ? `For sent (kontakt ${first ? formatDate(first) : '–'})` : 'Ikke kontaktet'}
                    {task.closure ? `; lukket: ${FOLLOW_UP_CLOSE_REASON_TEXT[task.closure.reason]}` : ''}
                  </Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      )}
    </section>
  );
}

/** Open follow-ups past their deadline today, whatever period is chosen (issue 17 item 2). */
function OverdueNow({ overdue, asOf, names }: { overdue: readonly OverdueTask<FollowUpTask>[]; asOf: string; names: Names }) {
  if (overdue.length === 0) {
    return (
      <Paragraph data-size="sm" data-testid="overdue-now">
        Ingen åpne oppfølginger har passert fristen per {formatDate(asOf)}.
      </Paragraph>
    );
  }
  return (
    <Table data-size="sm" zebra className="pht-manager-table" data-testid="overdue-now">
      <caption>
        Forfalt nå: {overdue.length} åpne oppfølginger har passert fristen per {formatDate(asOf)} (uansett valgt periode)
      </caption>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>Frist</Table.HeaderCell>
          <Table.HeaderCell className="pht-num">Arbeidsdager over fristen</Table.HeaderCell>
          <Table.HeaderCell>Pasient</Table.HeaderCell>
          <Table.HeaderCell>Sykepleier</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {overdue.map(({ task, workingDaysOverdue }) => (
          <Table.Row key={task.id}>
            <Table.Cell>{formatDate(task.deadline)}</Table.Cell>
            <Table.Cell className="pht-num">{workingDaysOverdue}</Table.Cell>
            <Table.Cell>{names.patient(task.patientId)}</Table.Cell>
            <Table.Cell>{names.staff(task.owner)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}
