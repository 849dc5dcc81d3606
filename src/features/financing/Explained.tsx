// A figure that explains itself (issue 18 item 5): the amount is a button; it opens a popover with the
// formula in words, the inputs, the source table and chapter, and "anslag" for estimates. A native
// popover: keyboard reachable, Enter/Space opens, Escape closes.
import { Popover } from '@digdir/designsystemet-react';
import type { Figure } from '../../domain/financing';
import { formatKroner, formatValue } from './format';

interface Props {
  figure: Figure;
  /** Show this amount instead of figure.amount (e.g. per listed person). */
  amount?: number;
  suffix?: string;
}

export function Explained({ figure, amount = figure.amount, suffix = '' }: Props) {
  const { formula, inputs, source, estimate, note } = figure.explain;
  return (
    <Popover.TriggerContext>
      <Popover.Trigger inline className="pht-fin-amount" data-testid={`fig-${figure.id}`} aria-label={`${formatKroner(amount)}${suffix}${estimate ? " (anslag)" : ""}: ${figure.label}, vis utregning`}>
        {formatKroner(amount)}
        {suffix}
        {estimate && <span className="pht-fin-estimate"> (anslag)</span>}
      </Popover.Trigger>
      <Popover className="pht-fin-popover" data-testid={`explain-${figure.id}`} placement="bottom">
        <strong>{figure.label}</strong>
        {estimate && <p className="pht-fin-estimate">Anslag, ikke et avregnet beløp.</p>}
        <p>{formula}.</p>
        <dl className="pht-fin-inputs">
          {inputs.map((i) => (
            <div key={i.label}>
              <dt>{i.label}</dt>
              <dd>{formatValue(i.value, i.unit)}</dd>
            </div>
          ))}
        </dl>
        {note && <p className="pht-muted">{note}</p>}
        <p className="pht-muted">Kilde: {source}.</p>
      </Popover>
    </Popover.TriggerContext>
  );
}

/** Figures as labelled cards, each amount explaining itself. */
export function FigureCards({ figures }: { figures: readonly Figure[] }) {
  return (
    <dl className="pht-fin-cards">
      {figures.map((f) => (
        <div key={f.id}>
          <dt>{f.label}</dt>
          <dd>
            <Explained figure={f} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
