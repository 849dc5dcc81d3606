// GP tariff suggestion: the GP's own contact types, and his default tariff read from the catalogue as data
// (each GP row lists the contact kinds it fits in `contactKinds`; FORMAT.md). No GP code is named here.
import { GP_CONTACT_KINDS, tariffInForce, type Catalogue, type GpContactKind } from './catalogue';
import type { ContactKind, TariffLine } from './suggest';

export { GP_CONTACT_KINDS, type GpContactKind };

/** Any contact kind the app registers: the nurse's (SPEC §5) or the GP's. */
export type AnyContactKind = ContactKind | GpContactKind;

export function isGpContactKind(kind: string): kind is GpContactKind {
  return (GP_CONTACT_KINDS as readonly string[]).includes(kind);
}

/** The channel a GP contact kind implies (the GP picks the kind, not a channel). */
export function gpContactChannel(kind: GpContactKind): 'in-person' | 'phone' | 'video' | 'written' {
  switch (kind) {
    case 'consultation':
    case 'home-visit':
      return 'in-person';
    case 'phone':
      return 'phone';
    case 'video':
      return 'video';
    case 'e-consultation':
      return 'written';
  }
}

/**
 * The GP's default tariff for a contact kind on a service date (YYYY-MM-DD): the first GP row of the
 * catalogue, in file order, in force that day whose `contactKinds` include the kind; none when no row fits.
 */
export function suggestGpTariffs(catalogue: Catalogue, kind: GpContactKind, serviceDate: string): TariffLine[] {
  const row = catalogue.tariffs.find(
    (t) => t.profession === 'gp' && t.contactKinds.includes(kind) && tariffInForce(catalogue, t.code, serviceDate) === t,
  );
  return row ? [{ code: row.code, quantity: 1 }] : [];
}
