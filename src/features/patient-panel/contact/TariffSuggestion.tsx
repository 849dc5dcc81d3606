// The live tariff suggestion (SPEC §5): codes with honorar, egenandel (demo values say so) and total from
// the catalogue in force on the service date; the user may add, remove or change a line, and a nurse
// must say why. What the patient will pay follows the one-egenandel-a-day rule (SPEC §6).
import { useState } from 'react';
import { Button, Field, Heading, Label, Paragraph, Select, Table, Tag, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import type { TariffLine } from '../../../domain/tariffs';
import type { ContactErrors, ContactRole, SuggestionView } from '../../../state/contactForm';
import { addLine, removeLine, setLineQuantity } from '../../../state/contactForm';
import type { CopayPreview } from '../../contact-copay/model';
import { formatKr } from './format';

interface Props {
  view: SuggestionView;
  chosen: TariffLine[];
  role: ContactRole;
  reason: string;
  errors: ContactErrors;
  disabled: boolean;
  preview: CopayPreview | undefined;
  /** Egenandel each line will be charged (one a day, SPEC §6); undefined while unknown: the tariff's is shown. */
  decided?: ReadonlyMap<string, number> | undefined;
  onLines: (lines: TariffLine[] | undefined) => void;
  onReason: (reason: string) => void;
}

const describe = (lines: readonly TariffLine[]) => lines.map((l) => (l.quantity > 1 ? `${l.code} × ${l.quantity}` : l.code)).join(', ') || 'ingen';

export function TariffSuggestion({ view, chosen, role, reason, errors, disabled, preview, decided, onLines, onReason }: Props) {
  const [toAdd, setToAdd] = useState('');
  // The table shows the decision that will be saved, not the tariff's egenandel (issue 17 item 3).
  const charged = (l: { code: string; egenandel: number }) => decided?.get(l.code) ?? l.egenandel;
  const egenandelTotal = decided ? view.lines.reduce((s, l) => s + charged(l), 0) : view.total.egenandel;
  return (
    <section className="pht-contact-suggestion" aria-labelledby="contact-suggestion-heading" data-testid="contact-suggestion">
      <Heading level={4} data-size="xs" id="contact-suggestion-heading">
        {view.changed ? 'Valgte takster' : 'Foreslåtte takster'}
      </Heading>
      <Table data-size="sm" aria-live="polite">
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Takst</Table.HeaderCell>
            <Table.HeaderCell>Antall</Table.HeaderCell>
            <Table.HeaderCell className="pht-amount">Honorar</Table.HeaderCell>
            <Table.HeaderCell className="pht-amount">Egenandel</Table.HeaderCell>
            <Table.HeaderCell className="pht-amount">Sum</Table.HeaderCell>
            <Table.HeaderCell>
              <span className="ds-sr-only">Endre</span>
            </Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {view.lines.map((l) => (
            <Table.Row key={l.code} data-testid={`tariff-line-${l.code}`}>
              <Table.Cell>
                <strong>{l.code}</strong> {l.text}
              </Table.Cell>
              <Table.Cell>
                <input
                  className="pht-quantity"
                  type="number"
                  min={1}
                  max={20}
                  value={l.quantity}
                  disabled={disabled}
                  aria-label={`Antall ${l.code}`}
                  onChange={(e) => onLines(setLineQuantity(chosen, l.code, Number(e.target.value)))}
                />
              </Table.Cell>
              <Table.Cell className="pht-amount">{formatKr(l.honorar)}</Table.Cell>
              <Table.Cell className="pht-amount" data-testid={`tariff-egenandel-${l.code}`}>
                {formatKr(charged(l))}
                {charged(l) !== l.egenandel && <span className="pht-subtle"> (takst {formatKr(l.egenandel)})</span>}{' '}
                {l.egenandelIsDemo && <Tag data-size="sm" data-color="warning">demo</Tag>}
              </Table.Cell>
              <Table.Cell className="pht-amount">{formatKr(l.total)}</Table.Cell>
              <Table.Cell>
                <Button variant="tertiary" data-size="sm" disabled={disabled} onClick={() => onLines(removeLine(chosen, l.code))}>
                  Fjern<span className="ds-sr-only"> {l.code}</span>
                </Button>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
        <Table.Foot>
          <Table.Row>
            <Table.HeaderCell colSpan={2}>Sum</Table.HeaderCell>
            <Table.Cell className="pht-amount">{formatKr(view.total.honorar)}</Table.Cell>
            <Table.Cell className="pht-amount" data-testid="tariff-egenandel-total">
              {formatKr(egenandelTotal)}
            </Table.Cell>
            <Table.Cell className="pht-amount" data-testid="tariff-total">
              {formatKr(view.total.honorar)}
            </Table.Cell>
            <Table.Cell />
          </Table.Row>
        </Table.Foot>
      </Table>
      {view.anyDemo && <Paragraph data-size="sm">Egenandelene er demoverdier fra takstkatalogen, ikke publiserte satser.</Paragraph>}
      {view.catalogue && (
        <Paragraph data-size="xs" className="pht-subtle">
          Takstkatalog {view.catalogue.id} versjon {view.catalogue.version}, gjelder {view.serviceDate.split('-').reverse().join('.')}.
        </Paragraph>
      )}
      <CopayPreviewText preview={preview} />
      {view.problems.map((problem) => (
        <ValidationMessage key={problem} data-testid="tariff-problem">
          {problem}
        </ValidationMessage>
      ))}
      <div className="pht-contact-inline pht-contact-add">
        <Field>
          <Label>Legg til takst</Label>
          <Select value={toAdd} disabled={disabled} onChange={(e) => setToAdd(e.target.value)} data-testid="tariff-add-select">
            <Select.Option value="">Velg takst</Select.Option>
            {view.addable.map((t) => (
              <Select.Option key={t.code} value={t.code}>
                {t.code} {t.text}
              </Select.Option>
            ))}
          </Select>
        </Field>
        <Button variant="secondary" data-size="sm" disabled={disabled || toAdd === ''} onClick={() => (onLines(addLine(chosen, toAdd)), setToAdd(''))}>
          Legg til
        </Button>
        {view.changed && (
          <Button variant="tertiary" data-size="sm" disabled={disabled} onClick={() => onLines(undefined)}>
            Bruk forslaget ({describe(view.suggested)})
          </Button>
        )}
      </div>
      {view.changed && (
        <Textfield
          label={role === 'nurse' ? 'Hvorfor endrer du takstene? (påkrevd)' : 'Hvorfor endrer du taksten? (valgfritt)'}
          description={`Forslaget var ${describe(view.suggested)}. Begrunnelsen lagres på taksten.`}
          value={reason}
          required={role === 'nurse'}
          disabled={disabled}
          error={errors.overrideReason}
          onChange={(e) => onReason(e.target.value)}
          data-testid="tariff-reason"
        />
      )}
    </section>
  );
}

function CopayPreviewText({ preview }: { preview: CopayPreview | undefined }) {
  if (!preview) return null;
  const text =
    preview.kind === 'charged'
      ? `Pasienten betaler ${formatKr(preview.amount)} i egenandel for denne kontakten.`
      : preview.kind === 'waived'
        ? `Pasienten betaler ingen egenandel for denne kontakten: ${preview.reasonLabel}.`
        : preview.kind === 'none'
          ? 'Ingen egenandel for disse takstene.'
          : 'Journalsystemet viser ikke fastlegens takster; du blir spurt om pasienten allerede er belastet egenandel i dag.';
  return (
    <Paragraph data-size="sm" data-testid="copay-preview">
      {text}
    </Paragraph>
  );
}
