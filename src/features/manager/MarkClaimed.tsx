// "Marker som krevd": confirmation first (the EPJ must have sent the claim), then progress, then the
// outcome in words. Marking again finds nothing to mark (SPEC §7 "never twice").
import { useState } from 'react';
import { Alert, Button, Dialog, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { ClaimRun } from '../../state/managerStore';
import { formatKr } from './format';

interface Props {
  count: number;
  refusjon: number;
  run: ClaimRun;
  onConfirm: () => void;
}

export function MarkClaimed({ count, refusjon, run, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  const running = run.status === 'running';
  return (
    <div className="pht-manager-mark">
      <Button onClick={() => setOpen(true)} disabled={count === 0 || running} data-testid="mark-claimed">
        Marker som krevd
      </Button>
      {count === 0 && run.status !== 'done' && <Paragraph data-size="sm">Ingen ukrevde sykepleiertakster i perioden.</Paragraph>}
      {running && (
        <div role="status" aria-live="polite" className="pht-manager-progress">
          <progress max={run.total} value={run.done} aria-label="Markerer som krevd" />
          <span>
            Markerer {run.done} av {run.total} …
          </span>
        </div>
      )}
      {run.status === 'done' && (
        <Alert data-color={run.result.failed.length > 0 ? 'warning' : 'success'} data-testid="mark-result">
          <Paragraph>
            {run.result.marked.length === 0 && run.result.failed.length === 0
              ? 'Ingen endringer: alle takstene i perioden var allerede markert som krevd.'
              : `${run.result.marked.length} takster markert som krevd.`}
            {run.result.unchanged.length > 0 ? ` ${run.result.unchanged.length} var allerede krevd eller kansellert og ble ikke endret.` : ''}
            {run.result.failed.length > 0 ? ` ${run.result.failed.length} kunne ikke markeres: ${run.result.failed[0]?.message ?? ''}` : ''}
          </Paragraph>
        </Alert>
      )}
      {run.status === 'error' && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kunne ikke markere som krevd: {run.message}</Paragraph>
        </Alert>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} closeButton="Avbryt" aria-labelledby="mark-heading" data-testid="mark-dialog">
        <Dialog.Block>
          <Heading level={2} data-size="xs" id="mark-heading">
            Marker {count} takster som krevd?
          </Heading>
        </Dialog.Block>
        <Dialog.Block>
          <Paragraph>
            Gjør dette først når behandlerkravmeldingen er sendt fra journalsystemet. Refusjon i kravet: {formatKr(refusjon)}. Takstene får status «krevd» og
            kommer ikke med i neste oppgjør.
          </Paragraph>
          <div className="pht-manager-row">
            <Button
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
              data-testid="mark-confirm"
            >
              Ja, marker som krevd
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Avbryt
            </Button>
          </div>
        </Dialog.Block>
      </Dialog>
    </div>
  );
}
