// Loading progress (which step, how many fetched) and the data problems found while reading.
import { Alert, Details, List, Paragraph } from '@digdir/designsystemet-react';
import type { ManagerIssue, ManagerProgress } from '../../fhir/manager';

export function LoadProgress({ progress }: { progress: ManagerProgress | undefined }) {
  return (
    <div role="status" aria-live="polite" className="pht-manager-progress" data-testid="manager-loading">
      <progress max={progress?.steps ?? 4} value={progress ? progress.stepIndex - 1 : 0} aria-label="Henter tall" />
      <span>{progress ? `Henter ${progress.step.toLowerCase()} (trinn ${progress.stepIndex} av ${progress.steps}, ${progress.fetched} hentet) …` : 'Henter tall …'}</span>
    </div>
  );
}

const SHOWN = 50;

export function IssuesNotice({ issues }: { issues: readonly ManagerIssue[] }) {
  if (issues.length === 0) return null;
  const errors = issues.filter((i) => i.severity === 'error').length;
  return (
    <Alert data-color="warning" data-testid="manager-issues">
      <Paragraph>
        {issues.length} merknader om data fra journalen{errors > 0 ? `, ${errors} ressurser er ikke tatt med` : ''}. Tallene bygger på det som kunne leses.
      </Paragraph>
      <Details>
        <Details.Summary>Vis merknadene</Details.Summary>
        <Details.Content>
          <List.Unordered data-size="sm">
            {issues.slice(0, SHOWN).map((i, index) => (
              <List.Item key={`${i.resourceType}-${i.id ?? ''}-${index}`}>
                {i.resourceType}
                {i.id ? `/${i.id}` : ''}: {i.message}
              </List.Item>
            ))}
            {issues.length > SHOWN && <List.Item>… og {issues.length - SHOWN} til</List.Item>}
          </List.Unordered>
        </Details.Content>
      </Details>
    </Alert>
  );
}
