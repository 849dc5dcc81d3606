// Register a contact (issue "Nurse tariffs and one co-payment a day", point 3; SPEC §5, §6): the nurse,
// or a GP for his own consultation, records what happened; the codes and amounts follow live; the save
// applies one egenandel a day; today's team charges show who bears it. The same form records a
// discharge follow-up contact (SPEC §4) and asks whether medication changes need the GP.
import { useMemo, useState } from 'react';
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { defaultCatalogues } from '../../../domain/tariffs';
import { mayCancelCharge } from '../../../domain/chargeCancel';
import { registerContact, useCancelCharge, useRememberDay, type ContactSaved } from '../../contact-copay/api';
import { decidedEgenandel, previewCopay, type ChargeRow } from '../../contact-copay/model';
import { osloToday } from '../../../ui/format';
import { chosenLines, initialContactValues, suggestionView, type ContactRole } from '../../../state/contactForm';
import { createContactStore, validationErrors, type ContactDeps } from '../../../state/contactStore';
import { localDay, osloLocalMinute, osloLocalToIso } from '../../../state/contactTime';
import { ContactFields } from './ContactFields';
import { FollowUpQuestion } from './FollowUpQuestion';
import { SaveControls } from './SaveControls';
import { SaveResult } from './SaveResult';
import { TariffSuggestion } from './TariffSuggestion';
import { TodaysChargesPanel } from './TodaysChargesPanel';
import type { ContactSavedEvent, ContactSectionProps } from './types';
import { useContactDay } from './useContactDay';
import './contact.css';

export function ContactSection(props: ContactSectionProps) {
  const { user, patient, session } = props;
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const rememberDay = useRememberDay(api);
  const cancelMutation = useCancelCharge(api);
  const role: ContactRole | undefined = user.role.role === 'gp' || user.role.role === 'nurse' ? user.role.role : undefined;
  const followUp = props.followUp ?? (props.patientContext?.followUpTaskId ? { taskId: props.patientContext.followUpTaskId } : undefined);
  const [store] = useState(() => createContactStore(initialContactValues(osloLocalMinute(new Date()), followUp !== undefined, role)));
  const values = store((s) => s.values);
  const save = store((s) => s.save);
  const submitted = store((s) => s.submitted);
  const contactId = store((s) => s.contactId);
  const day = localDay(values.serviceTime);
  const [manualFrikort, setManualFrikort] = useState(false);
  const dayData = useContactDay(api, patient?.id, day, manualFrikort);
  const copay = dayData.data?.copay;

  const view = useMemo(() => suggestionView(role ?? 'nurse', values, defaultCatalogues), [role, values]);
  if (!patient) return <Paragraph>Velg en pasient for å registrere en kontakt.</Paragraph>;

  const deps: ContactDeps | undefined =
    role && copay
      ? {
          register: (input) => registerContact(api, input),
          context: { patientId: patient.id, role, patient: copay.patient },
          validation: { role, catalogues: defaultCatalogues, followUp: followUp !== undefined },
          now: () => new Date(),
        }
      : undefined;
  const errors = deps && submitted ? validationErrors({ values }, deps) : {};
  const serviceIso = osloLocalToIso(values.serviceTime);
  const today = dayData.data?.today;
  const lineEgenandel = view.lines.map((l) => ({ code: l.code, egenandel: l.egenandel }));
  const previewable = today && copay && serviceIso && today.day === day;
  const preview = previewable ? previewCopay(today, lineEgenandel, serviceIso, copay.patient) : undefined;
  const decided = previewable ? decidedEgenandel(today, lineEgenandel, serviceIso, copay.patient) : undefined;
  const locked = save.status === 'saving' || save.status === 'saved';

  const afterSave = (saved: ContactSaved | undefined) => {
    if (!saved) return;
    rememberDay(saved.day);
    const event: ContactSavedEvent = {
      result: saved,
      contactId: saved.contactId,
      ...(followUp ? { followUp: { taskId: followUp.taskId, medicationNeedsGp: store.getState().values.medicationNeedsGp === true } } : {}),
    };
    props.onSaved?.(event);
  };
  const onSave = () => deps && void store.getState().submit(deps).then(afterSave);
  const onAnswer = (paid: boolean) => deps && void store.getState().answer(paid, deps).then(afterSave);
  const practiceManager = user.role.practiceManager;
  const cancel =
    role || practiceManager
      ? async (chargeId: string) => {
          const result = await cancelMutation.mutateAsync({ chargeId });
          return result.refundOwed ? [{ id: chargeId, amount: result.refundOwed, reason: 'CANCELLED' }] : [];
        }
      : undefined;
  const canCancel = (row: ChargeRow) => mayCancelCharge(row, { practitionerId: user.practitionerId, practiceManager });

  return (
    <section className="pht-contact" aria-labelledby="contact-heading" data-testid="contact-section">
      <Heading level={3} data-size="sm" id="contact-heading">
        {followUp ? 'Registrer oppfølging etter utskrivning' : 'Registrer kontakt'}
      </Heading>
      {!role && <Paragraph>Kontakter registreres av fastlege eller sykepleier.</Paragraph>}
      <div className="pht-contact-grid">
        {role && (
          <div className="pht-contact-form">
            {save.status === 'saved' ? (
              <SaveResult result={save.result} onNew={() => store.getState().startNew(initialContactValues(osloLocalMinute(new Date()), false, role))} />
            ) : (
              <form noValidate onSubmit={(e) => (e.preventDefault(), onSave())} aria-label="Registrer kontakt" data-contact-id={contactId}>
                {followUp && (
                  <FollowUpQuestion
                    epikrise={followUp.epikrise}
                    value={values.medicationNeedsGp}
                    error={errors.medicationNeedsGp}
                    disabled={locked}
                    onChange={(v) => store.getState().change({ medicationNeedsGp: v })}
                  />
                )}
                <ContactFields values={values} errors={errors} role={role} disabled={locked} onChange={(p) => store.getState().change(p)} />
                <TariffSuggestion
                  view={view}
                  chosen={chosenLines(role, values)}
                  role={role}
                  reason={values.overrideReason}
                  errors={errors}
                  disabled={locked}
                  preview={preview}
                  decided={decided}
                  onLines={(lines) => store.getState().change({ lines })}
                  onReason={(overrideReason) => store.getState().change({ overrideReason })}
                />
                {copay && !copay.exemptionsKnown && (
                  <div className="pht-contact-exemptions-unknown" data-testid="copay-exemptions-unknown">
                    <Paragraph data-size="sm">
                      {copay.unknownReason === 'refused'
                        ? 'Frikort og fritak kunne ikke hentes fra journalsystemet (ikke tilgjengelig for appen).'
                        : 'Frikort og fritak er ikke tilgjengelige fra journalsystemet.'}{' '}
                      Appen vet derfor ikke om pasienten har fritak for egenandel: sjekk frikortet og kryss av.
                    </Paragraph>
                    <label>
                      <input type="checkbox" checked={manualFrikort} disabled={locked} onChange={(e) => setManualFrikort(e.target.checked)} /> Pasienten har frikort denne dagen (sjekket manuelt)
                    </label>
                  </div>
                )}
                <SaveControls
                  save={save}
                  invalid={Object.keys(errors).length > 0}
                  blocked={copay ? undefined : dayData.error ? 'Kan ikke lagre før pasientens egenandelsfritak er hentet.' : 'Henter pasientens egenandelsfritak …'}
                  onSave={onSave}
                  onAnswer={onAnswer}
                />
              </form>
            )}
          </div>
        )}
        <TodaysChargesPanel
          data={today}
          loading={dayData.loading}
          error={dayData.error}
          isToday={day === osloToday(new Date())}
          onReload={dayData.reload}
          highlightContactId={save.status === 'saved' ? save.result.contactId : undefined}
          cancel={cancel}
          canCancel={canCancel}
        />
      </div>
    </section>
  );
}
