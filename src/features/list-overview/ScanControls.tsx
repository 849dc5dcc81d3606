// Run or re-run the scan, with a visible progress bar and a cancel button.
import { Button, Paragraph } from '@digdir/designsystemet-react';
import type { ScanPhase, ScanProgress } from '../../fhir/population';
import { ProgressBar } from '../../ui/ProgressBar';

const PHASE_TEXT: Readonly<Record<ScanPhase, string>> = {
  patients: 'Henter listeinnbyggere',
  facts: 'Henter diagnoser, legemidler, kontakter og vurderinger',
  classify: 'Vurderer målgrupper',
  flags: 'Lagrer målgruppemarkeringer',
  done: 'Ferdig',
};

interface Props {
  running: boolean;
  hasResult: boolean;
  progress: ScanProgress | undefined;
  cancelled: boolean;
  onRun: () => void;
  onCancel: () => void;
}

export function ScanControls({ running, hasResult, progress, cancelled, onRun, onCancel }: Props) {
  return (
    <div className="pht-lo-scan">
      {running ? (
        <ProgressBar label={PHASE_TEXT[progress?.phase ?? 'patients']} done={progress?.done ?? 0} total={progress?.total} onCancel={onCancel} cancelLabel="Avbryt gjennomgangen" />
      ) : (
        <Button onClick={onRun} data-testid="scan-run">
          {hasResult ? 'Kjør gjennomgangen på nytt' : 'Kjør gjennomgang av listen'}
        </Button>
      )}
      {cancelled && !running && <Paragraph data-testid="scan-cancelled">Gjennomgangen ble avbrutt. Ingen nye resultater er vist.</Paragraph>}
    </div>
  );
}
