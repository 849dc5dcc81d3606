// The daglig leder's setting (issue 17 item 18): which of the practice's chronic-disease groups get a
// yearly check and so appear on the recall list (default diabetes, KOLS, hjertesvikt). Nothing typed is
// lost when a save fails: the choices stay until saved or reset.
import { useState } from 'react';
import { Alert, Button, Checkbox, Details, Fieldset, Paragraph } from '@digdir/designsystemet-react';
import type { RecallGroup } from '../../../domain/care';
import type { ApiContext } from '../../../platform/api';
import { useRecallSettings, useSaveRecallGroups } from '../api';

export function RecallGroupsSettings({ ctx }: { ctx: ApiContext }) {
  const settings = useRecallSettings(ctx);
  const save = useSaveRecallGroups(ctx);
  const [chosen, setChosen] = useState<RecallGroup[] | undefined>(undefined);
  const [done, setDone] = useState(false);
  const stored = settings.data?.groups ?? [];
  const current = chosen ?? stored;
  const changed = chosen !== undefined && (chosen.length !== stored.length || chosen.some((g) => !stored.includes(g)));
  const toggle = (g: RecallGroup, on: boolean) => {
    setDone(false);
    const all = settings.data?.all.map((x) => x.id) ?? [];
    setChosen(all.filter((x) => (x === g ? on : current.includes(x))));
  };
  return (
    <Details className="pht-recall-settings pht-no-print" data-testid="recall-settings">
      <Details.Summary>Grupper som kalles inn til årskontroll (daglig leder)</Details.Summary>
      <Details.Content>
        {settings.isError && <Paragraph data-size="sm">Fikk ikke hentet innstillingen: {settings.error.message}</Paragraph>}
        {settings.data && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (chosen) save.mutate({ groups: chosen }, { onSuccess: () => { setChosen(undefined); setDone(true); } });
            }}
          >
            <Fieldset>
              <Fieldset.Legend>Disse gruppene får årlig kontroll</Fieldset.Legend>
              <div className="pht-recall-settings-groups">
                {settings.data.all.map((g) => (
                  <Checkbox key={g.id} label={g.label} value={g.id} checked={current.includes(g.id)} onChange={(e) => toggle(g.id, e.target.checked)} disabled={save.isPending} />
                ))}
              </div>
            </Fieldset>
            <span className="pht-recall-actions">
              <Button type="submit" data-size="sm" disabled={!changed || save.isPending} data-testid="recall-settings-save">
                {save.isPending ? 'Lagrer …' : 'Lagre grupper'}
              </Button>
              {changed && (
                <Button type="button" data-size="sm" variant="secondary" onClick={() => setChosen(undefined)}>
                  Angre
                </Button>
              )}
            </span>
            {done && <Paragraph data-size="sm" role="status">Lagret. Listen under er oppdatert.</Paragraph>}
            {save.isError && (
              <Alert data-color="danger" role="alert" data-size="sm">
                <Paragraph data-size="sm">Gruppene ble ikke lagret: {save.error.message} Valgene dine er tatt vare på; prøv igjen.</Paragraph>
              </Alert>
            )}
          </form>
        )}
      </Details.Content>
    </Details>
  );
}
