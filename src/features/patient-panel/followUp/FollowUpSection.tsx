// The patient's discharge follow-up in the patient panel (issue "Discharge follow-up" point 6, SPEC §4):
// the task's deadline and countdown, the epikrise, attempts, the contact (ContactSection with `followUp`,
// so the same form registers the contact and its tariffs and asks whether medication changes need the
// GP), and closing with a reason. The outcome shows «innen fristen» or «etter fristen».
import { useLayoutEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Details, Heading, Paragraph } from '@digdir/designsystemet-react';
import { describeError } from '../../../fhir/errors';
import { createFollowUpStore } from '../../../state/followUpStore';
import type { FeatureProps } from '../../../ui/featureProps';
import { Loading } from '../../../ui/Loading';
import { ContactSection, type ContactSavedEvent } from '../contact';
import { AttemptForm } from './AttemptForm';
import { CloseForm } from './CloseForm';
import { FollowUpSummary } from './FollowUpSummary';
import './followUp.css';

export interface FollowUpSectionProps extends FeatureProps {
  /**
   * Shown instead when the patient has no discharge follow-up (e.g. the plain ContactSection), so the
   * panel never shows two contact forms: `<FollowUpSection {...props} fallback={<ContactSection {...props} />} />`.
   */
  fallback?: ReactNode;
}

export function FollowUpSection(props: FollowUpSectionProps) {
  const { client, user, patient, patientContext } = props;
  const patientId = patient?.id;
  const taskId = patientContext?.followUpTaskId;
  const [store] = useState(() => (patientId ? createFollowUpStore({ client, user, patientId, ...(taskId ? { taskId } : {}) }) : undefined));
  const [saved, setSaved] = useState<ContactSavedEvent | undefined>(undefined);
  // A layout effect: the panel's reads all start in the same task at commit (see patient-panel/index.tsx).
  useLayoutEffect(() => {
    void store?.getState().load();
  }, [store]);
  if (!store) return props.fallback ?? null;
  return <FollowUpBody {...props} store={store} saved={saved} onSaved={setSaved} />;
}

type Store = ReturnType<typeof createFollowUpStore>;

function FollowUpBody(props: FollowUpSectionProps & { store: Store; saved: ContactSavedEvent | undefined; onSaved: (e: ContactSavedEvent) => void }) {
  const { store, saved, user } = props;
  const { status, data, error, actions } = store();
  const view = data?.view;
  const open = view?.status === 'new' || view?.status === 'attempted';
  const record = (event: ContactSavedEvent) =>
    void store.getState().recordContact({ contactId: event.contactId, ...(event.result.encounterId ? { encounterId: event.result.encounterId } : {}), medicationNeedsGp: event.followUp?.medicationNeedsGp === true });

  if (status === 'idle' || status === 'loading') return <Loading text="Henter oppfølging etter utskrivning …" />;
  if (status === 'error') {
    return (
      <Alert data-color="danger" role="alert">
        <Paragraph>Kunne ikke hente oppfølgingen: {describeError(error).message} {describeError(error).action}</Paragraph>
        <Button data-size="sm" onClick={() => void store.getState().load()}>Prøv igjen</Button>
      </Alert>
    );
  }
  if (!view) return props.fallback ?? null;
  return (
    <section className="pht-fu" aria-labelledby="fu-heading" data-testid="followup-section">
      <Heading level={3} data-size="sm" id="fu-heading">
        Oppfølging etter utskrivning
      </Heading>
      <FollowUpSummary view={view} />
      {data.epikriseError && <Paragraph data-size="sm">Epikrisen kunne ikke hentes: {data.epikriseError}</Paragraph>}
      {!open && data.epikrise && (
        <Details>
          <Details.Summary>Epikrise</Details.Summary>
          <Details.Content>
            <Paragraph data-size="sm" className="pht-fu-epikrise">{data.epikrise}</Paragraph>
          </Details.Content>
        </Details>
      )}
      {open && <AttemptForm userName={user.name} action={actions.attempt} onLog={(a) => store.getState().logAttempt({ ...a, reached: false })} />}
      {actions.contact.status === 'error' && saved && (
        <Alert data-color="danger" role="alert">
          <Paragraph>
            Kontakten er lagret, men oppgaven ble ikke oppdatert: {actions.contact.message} {actions.contact.action}
          </Paragraph>
          <Button data-size="sm" onClick={() => record(saved)} data-testid="fu-contact-retry">Prøv igjen</Button>
        </Alert>
      )}
      {actions.contact.status === 'done' && <Paragraph role="status" data-testid="fu-contact-done">{actions.contact.message}</Paragraph>}
      {(open || saved) && (
        <ContactSection
          client={props.client}
          session={props.session}
          user={props.user}
          patient={props.patient}
          {...(props.patientContext ? { patientContext: props.patientContext } : {})}
          followUp={{ taskId: view.taskId, ...(data.epikrise ? { epikrise: data.epikrise } : {}) }}
          onSaved={(event) => {
            props.onSaved(event);
            record(event);
          }}
        />
      )}
      {open && (
        <Details>
          <Details.Summary>Lukk uten kontakt</Details.Summary>
          <Details.Content>
            <CloseForm action={actions.close} onClose={(c) => store.getState().close(c)} />
          </Details.Content>
        </Details>
      )}
    </section>
  );
}
