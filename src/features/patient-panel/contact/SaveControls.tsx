// Save, progress, the paid-elsewhere question (SPEC §6) and errors in words with a retry. The form's
// values stay in the store whatever happens here; a retry sends the same contactId.
import { Alert, Button, Fieldset, Paragraph, Spinner } from '@digdir/designsystemet-react';
import type { SaveState } from '../../../state/contactStore';

interface Props {
  save: SaveState;
  invalid: boolean;
  /** Why saving must wait (e.g. the patient's exemptions are still loading). */
  blocked?: string;
  onSave: () => void;
  onAnswer: (paidElsewhereToday: boolean) => void;
}

export function SaveControls({ save, invalid, blocked, onSave, onAnswer }: Props) {
  const saving = save.status === 'saving';
  return (
    <div className="pht-contact-save">
      {save.status === 'needs-answer' && (
        <Fieldset className="pht-contact-question" data-testid="paid-elsewhere-question">
          <Fieldset.Legend>{save.question}</Fieldset.Legend>
          <Fieldset.Description>
            Journalsystemet viser ikke fastlegens takster, så appen ser ikke om pasienten er belastet egenandel hos fastlegen i dag. Svaret
            lagres.
          </Fieldset.Description>
          <div className="pht-contact-inline">
            <Button type="button" onClick={() => onAnswer(true)}>Ja, allerede belastet</Button>
            <Button type="button" variant="secondary" onClick={() => onAnswer(false)}>
              Nei
            </Button>
          </div>
        </Fieldset>
      )}
      {save.status === 'error' && (
        <Alert data-color="danger" role="alert" data-testid="contact-save-error">
          <Paragraph>
            Kontakten ble ikke lagret. {save.error.message} {save.error.action}
          </Paragraph>
          <Paragraph data-size="sm">Det du har skrevet er tatt vare på. Et nytt forsøk lagrer ingenting dobbelt.</Paragraph>
          <Button type="button" data-size="sm" onClick={onSave}>
            Prøv igjen
          </Button>
        </Alert>
      )}
      {save.status !== 'needs-answer' && save.status !== 'error' && (
        <div className="pht-contact-inline">
          <Button type="submit" disabled={saving || blocked !== undefined} data-testid="contact-save">
            Lagre kontakt
          </Button>
          <span role="status" className="pht-contact-status">
            {saving && (
              <>
                <Spinner aria-hidden data-size="sm" /> Lagrer kontakten …
              </>
            )}
            {!saving && blocked}
            {invalid && !saving && !blocked && 'Rett opp feltene som er merket før du lagrer.'}
          </span>
        </div>
      )}
    </div>
  );
}
