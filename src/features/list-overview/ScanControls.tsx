// The manual rescan: start it, follow its progress (the scan runs on the app server, like the nightly one).
import { Button } from '@digdir/designsystemet-react';
import type { ScanRunView } from '../../domain/targetGroups/views';
import { ProgressBar } from '../../ui/ProgressBar';

const PHASE_TEXT: Readonly<Record<ScanRunView['phase'], string>> = {
  patients: 'Henter listeinnbyggere',
  facts: 'Henter diagnoser, legemidler, kontakter og vurderinger',
  classify: 'Vurderer målgrupper',
  store: 'Lagrer resultatet',
  done: 'Ferdig',
};

interface Props {
  running: ScanRunView | undefined;
  starting: boolean;
  hasResult: boolean;
  onRun: () => void;
}

export function ScanControls({ running, starting, hasResult, onRun }: Props) {
  return (
    <div className="pht-lo-scan">
      {running ? (
        <ProgressBar label={PHASE_TEXT[running.phase]} done={running.done} total={running.total} />
      ) : (
        <Button onClick={onRun} disabled={starting} data-testid="scan-run">
          {hasResult ? 'Gå gjennom listen på nytt nå' : 'Kjør gjennomgang av listen'}
        </Button>
      )}
    </div>
  );
}
