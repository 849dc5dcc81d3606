// Address protection (SPEC §8): a patient with a confidential address (fortrolig / strengt fortrolig
// adresse, Folkeregisteret) never has the address shown or exported. Every view and export that could
// show an address goes through `safeAddress`/`addressForDisplay`, never `patient.address`: the list
// overview's rows and CSV (populationRows.ts), the worklist (followUpsPatients.ts), the patient banner
// (ui/usePatientAddress.ts). [decision] The phone stays visible: it is no location detail, and the nurse
// needs it for the follow-up call (SPEC §4).
//
// Read from (fhir-profiles/input/fsh/extensions.fsh "PhtAddressProtection"):
// - our Patient extension EXTENSIONS.addressProtection, valueCode fortrolig | strengt-fortrolig (the
//   sandbox seed's shape, sandbox/seed/patientResources.ts);
// - the same extension on an Address, or any extension whose url ends in `/address-protection` (another
//   canonical base for the same thing);
// - meta.security v3-Confidentiality R (restricted) or V (very restricted), which some EPJs and national
//   profiles (dk-core, eHealth DK) use for name and address protection.
// It fails closed: a protection marker we cannot read (unknown code, wrong type) counts as protected,
// because showing a protected address is the worse error.
import type { Address, Patient } from '@medplum/fhirtypes';
import { field, isRecord, list, text } from './mappers/read';
import { EXTENSIONS } from './systems';

export type AddressProtectionLevel = 'fortrolig' | 'strengt-fortrolig' | 'ukjent';

const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const RESTRICTED_CONFIDENTIALITY = new Set(['R', 'V']);

/** What the UI writes instead of a protected address (GLOSSARY style: plain bokmål). */
export const PROTECTED_ADDRESS_TEXT = 'Adressen er skjermet';

function isProtectionExtension(url: unknown): boolean {
  return url === EXTENSIONS.addressProtection || (typeof url === 'string' && url.endsWith('/address-protection'));
}

function levelOf(extension: unknown): AddressProtectionLevel {
  const code = text(field(extension, 'valueCode'));
  return code === 'fortrolig' || code === 'strengt-fortrolig' ? code : 'ukjent';
}

const SEVERITY: Record<AddressProtectionLevel, number> = { fortrolig: 1, 'strengt-fortrolig': 2, ukjent: 3 };

function stricter(a: AddressProtectionLevel | undefined, b: AddressProtectionLevel): AddressProtectionLevel {
  return a === undefined || SEVERITY[b] > SEVERITY[a] ? b : a;
}

/**
 * The patient's address protection, or undefined when the patient has none. Takes `unknown` so that a
 * malformed resource from an EPJ cannot make it throw.
 */
export function addressProtectionOf(patient: unknown): AddressProtectionLevel | undefined {
  if (!isRecord(patient)) return undefined;
  let level: AddressProtectionLevel | undefined;
  const extensions = [...list(patient.extension), ...list(patient.address).flatMap((a) => list(field(a, 'extension')))];
  for (const extension of extensions) {
    if (isProtectionExtension(field(extension, 'url'))) level = stricter(level, levelOf(extension));
  }
  for (const label of list(field(patient.meta, 'security'))) {
    const system = field(label, 'system');
    const code = text(field(label, 'code'));
    if (system === CONFIDENTIALITY_SYSTEM && code !== undefined && RESTRICTED_CONFIDENTIALITY.has(code)) {
      level = stricter(level, code === 'V' ? 'strengt-fortrolig' : 'fortrolig');
    }
  }
  return level;
}

export function isAddressProtected(patient: unknown): boolean {
  return addressProtectionOf(patient) !== undefined;
}

export type SafeAddress =
  /** Never show or export anything of the address; the UI may write PROTECTED_ADDRESS_TEXT. */
  | { kind: 'protected' }
  | { kind: 'address'; address: Address; text: string }
  | { kind: 'none' };

function isCurrent(address: unknown): boolean {
  return field(address, 'use') !== 'old' && field(field(address, 'period'), 'end') === undefined;
}

function addressText(address: unknown): string | undefined {
  const own = text(field(address, 'text'));
  const lines = list(field(address, 'line')).map(text).filter((l): l is string => l !== undefined);
  const postal = [text(field(address, 'postalCode')), text(field(address, 'city'))].filter((p) => p !== undefined).join(' ');
  const composed = [...lines, postal].filter((p) => p.length > 0).join(', ');
  // An institution's address carries its name as text and the street in line: show both.
  if (own && composed && !composed.includes(own)) return `${own}, ${composed}`;
  return own ?? (composed.length > 0 ? composed : undefined);
}

/** The address to show: the current home address (else the first current one), or nothing when protected. */
export function safeAddress(patient: Patient | unknown): SafeAddress {
  if (isAddressProtected(patient)) return { kind: 'protected' };
  const addresses = list(field(patient, 'address')).filter(isRecord);
  const current = addresses.filter(isCurrent);
  const chosen = current.find((a) => field(a, 'use') === 'home') ?? current[0];
  const shown = chosen === undefined ? undefined : addressText(chosen);
  if (chosen === undefined || shown === undefined) return { kind: 'none' };
  // Only the elements we read are passed on: an unknown extension stays behind.
  const address: Address = {};
  const use = text(chosen.use);
  if (use === 'home' || use === 'work' || use === 'temp' || use === 'billing') address.use = use;
  const line = list(chosen.line).map(text).filter((l): l is string => l !== undefined);
  if (line.length > 0) address.line = line;
  const postalCode = text(chosen.postalCode);
  if (postalCode !== undefined) address.postalCode = postalCode;
  const city = text(chosen.city);
  if (city !== undefined) address.city = city;
  const ownText = text(chosen.text);
  if (ownText !== undefined) address.text = ownText;
  return { kind: 'address', address, text: shown };
}

/** The text to show in a view: the address, PROTECTED_ADDRESS_TEXT, or undefined when there is none. */
export function addressForDisplay(patient: Patient | unknown): string | undefined {
  const safe = safeAddress(patient);
  return safe.kind === 'address' ? safe.text : safe.kind === 'protected' ? PROTECTED_ADDRESS_TEXT : undefined;
}
