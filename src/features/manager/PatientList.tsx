// The patients behind an indicator: those counted in the numerator, and those in the denominator who
// are not (the ones the team can act on).
import { Heading, List } from '@digdir/designsystemet-react';
import type { Indicator } from '../../domain/manager';
import type { Names } from './names';

const SHOWN = 200;

function PatientNames({ ids, names, title }: { ids: readonly string[]; names: Names; title: string }) {
  const sorted = ids.map((id) => names.patient(id)).sort((a, b) => a.localeCompare(b, 'nb'));
  return (
    <div>
      <Heading level={4} data-size="2xs">
        {title} ({ids.length})
      </Heading>
      {sorted.length === 0 ? (
        <p>Ingen.</p>
      ) : (
        <List.Unordered data-size="sm">
          {sorted.slice(0, SHOWN).map((n, index) => (
            <List.Item key={`${n}-${index}`}>{n}</List.Item>
          ))}
          {sorted.length > SHOWN && <List.Item>… og {sorted.length - SHOWN} til</List.Item>}
        </List.Unordered>
      )}
    </div>
  );
}

export function PatientList({ indicator, names }: { indicator: Indicator; names: Names }) {
  const inNumerator = new Set(indicator.numeratorIds);
  const missing = indicator.denominatorIds.filter((id) => !inNumerator.has(id));
  return (
    <div className="pht-manager-patients" data-testid="indicator-patients">
      <PatientNames ids={indicator.numeratorIds} names={names} title={`${indicator.label}: oppfylt`} />
      <PatientNames ids={missing} names={names} title="Ikke oppfylt" />
    </div>
  );
}
