// Period picker: a calendar month (default this month) or a from-to range (SPEC §7 "per period").
import { useState, type FormEvent } from 'react';
import { Button, Fieldset, Radio, ValidationMessage } from '@digdir/designsystemet-react';
import { DateField } from '../../ui/DateField';
import type { Period } from '../../domain/manager';
import { isMonth, monthPeriod, rangeProblem } from './period';

interface Props {
  value: Period;
  onChange: (period: Period) => void;
  disabled?: boolean;
}

export function PeriodPicker({ value, onChange, disabled }: Props) {
  const [mode, setMode] = useState<'month' | 'range'>('month');
  const [month, setMonth] = useState(value.from.slice(0, 7));
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'month') {
      if (!isMonth(month)) return setProblem('Velg en måned.');
      setProblem(undefined);
      return onChange(monthPeriod(month));
    }
    const found = rangeProblem(from, to);
    setProblem(found);
    if (!found) onChange({ from, to });
  }

  return (
    <form className="pht-manager-period" onSubmit={submit} aria-label="Velg periode">
      <Fieldset>
        <Fieldset.Legend>Periode</Fieldset.Legend>
        <div className="pht-manager-row">
          <Radio label="Måned" name="period-mode" value="month" checked={mode === 'month'} onChange={() => setMode('month')} />
          <Radio label="Fra–til" name="period-mode" value="range" checked={mode === 'range'} onChange={() => setMode('range')} />
        </div>
      </Fieldset>
      {mode === 'month' ? (
        <DateField label="Måned" kind="month" value={month} onChange={setMonth} data-testid="period-month" />
      ) : (
        <div className="pht-manager-row">
          <DateField label="Fra" value={from} onChange={setFrom} data-testid="period-from" />
          <DateField label="Til" value={to} onChange={setTo} data-testid="period-to" />
        </div>
      )}
      <Button type="submit" disabled={disabled} data-testid="period-apply">
        Vis periode
      </Button>
      {problem && <ValidationMessage role="alert">{problem}</ValidationMessage>}
    </form>
  );
}
