// Display formats for this section (GLOSSARY: amounts `kr 1 234`, times `HH:mm` Oslo, dates dd.mm.åååå).
// Candidates for src/ui/format.ts; kept here until the lead moves them.
import type { ContactKind, GpContactKind } from '../../../domain/tariffs';
import type { ContactChannel } from '../../contact-copay/api';

/** Norwegian names of the contact kinds (the contact-kind code system, fhir-profiles/input/fsh/codesystems.fsh). */
export const CONTACT_KIND_DISPLAY: Readonly<Record<ContactKind, string>> = {
  simple: 'Enkel pasientkontakt',
  'follow-up': 'Oppfølging',
  'about-patient': 'Kontakt om pasienten',
  'home-visit': 'Hjemmebesøk',
  group: 'Gruppeoppfølging',
  meeting: 'Tverrfaglig møte',
  'team-consultation': 'Teamkonsultasjon',
};

export { formatKr } from '../../../ui/format';

const osloTime = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An ISO date-time as Oslo `HH:mm`; `–` when missing or unreadable. */
export function formatOsloTime(at: string | undefined): string {
  if (!at) return '–';
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? '–' : osloTime.format(new Date(ms)).replace('.', ':');
}

export const CHANNEL_LABELS: Readonly<Record<ContactChannel, string>> = {
  'in-person': 'Oppmøte',
  phone: 'Telefon',
  video: 'Video',
  written: 'Skriftlig',
};

export const CHANNELS: readonly ContactChannel[] = ['in-person', 'phone', 'video', 'written'];

export const KINDS: readonly ContactKind[] = ['simple', 'follow-up', 'about-patient', 'home-visit', 'group', 'meeting', 'team-consultation'];

/** What each kind means, under its label (SPEC §5 suggestion table). */
export const KIND_HINTS: Readonly<Record<ContactKind, string>> = {
  simple: 'Kort kontakt, alle kanaler',
  'follow-up': 'Oppfølging med pasienten',
  'about-patient': 'Samtale eller brev med annen tjeneste, pasienten ikke til stede',
  'home-visit': 'Besøk hjemme hos pasienten',
  group: 'Gruppetime; hver deltaker får sin egen takst og egenandel',
  meeting: 'Tverrfaglig møte om pasienten',
  'team-consultation': 'Sykepleier deltar i fastlegens konsultasjon',
};

/** The GP's own contact types (issue 17 item 4), in the order offered; his tariff follows from the catalogue. */
export const GP_KINDS: readonly GpContactKind[] = ['consultation', 'phone', 'video', 'home-visit', 'e-consultation'];

export const GP_KIND_DISPLAY: Readonly<Record<GpContactKind, { label: string; hint: string }>> = {
  consultation: { label: 'Konsultasjon', hint: 'Pasienten møter på legekontoret' },
  phone: { label: 'Telefon', hint: 'Samtale med pasienten på telefon' },
  video: { label: 'Video', hint: 'Konsultasjon på video' },
  'home-visit': { label: 'Sykebesøk', hint: 'Legen besøker pasienten hjemme' },
  'e-consultation': { label: 'E-konsultasjon', hint: 'Skriftlig konsultasjon i sikker kanal' },
};
