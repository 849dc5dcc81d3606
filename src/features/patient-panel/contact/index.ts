export { ContactSection } from './ContactSection';
export type { ContactFollowUp, ContactSavedEvent, ContactSectionProps } from './types';
export { MEDICATION_QUESTION } from './FollowUpQuestion';
