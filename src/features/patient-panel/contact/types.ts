import type { ContactSaved } from '../../contact-copay/api';
import type { FeatureProps } from '../../../ui/featureProps';

/** A discharge follow-up being recorded (SPEC §4): the task, and the epikrise text when the caller has it. */
export interface ContactFollowUp {
  taskId: string;
  epikrise?: string;
}

/** What the section reports after a successful save. */
export interface ContactSavedEvent {
  result: ContactSaved;
  contactId: string;
  /** For a follow-up: the answer to «Bør fastlegen vurdere endringene i legemidlene?» (true = task for the GP). */
  followUp?: { taskId: string; medicationNeedsGp: boolean };
}

export interface ContactSectionProps extends FeatureProps {
  onSaved?: (event: ContactSavedEvent) => void;
  followUp?: ContactFollowUp;
}
