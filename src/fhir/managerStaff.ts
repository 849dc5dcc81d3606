// Practitioner + PractitionerRole -> the manager's StaffMember (SPEC §5, §7; profiles pht-practitioner,
// pht-practitioner-role). Tolerant: what cannot be read becomes an issue.
//
// - role: the first active PractitionerRole with a Volven 9060 code (LE gp, SP nurse, HE secretary).
// - positionPercent: EXTENSIONS.positionPercent on that role (0-100); [decision] a missing one counts as
//   100 % with a warning, so a nurse is never silently left out of the expected counts.
// - specialised: [decision] a qualification coded in MANAGER_SYSTEMS.specialty (Volven 7426, HPR's
//   specialist approvals) whose period covers `asOf` (SPEC §7 "health-personnel resources with
//   specialisation"). Nurses' relevant further education is recorded the same way.
import type { Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { StaffMember, StaffRole } from '../domain/manager';
import { referencedId } from './builders/common';

export interface ManagerIssue {
  resourceType: string;
  id?: string;
  severity: 'error' | 'warning';
  /** Norwegian, shown to the leader. */
  message: string;
}

const CATEGORY_ROLE: Readonly<Record<string, StaffRole>> = { SP: 'nurse', LE: 'gp', HE: 'secretary' };

/** Volven 9060 category -> staff role. */
export function roleForCategory(code: string | undefined): StaffRole | undefined {
  return code ? CATEGORY_ROLE[code.trim().toUpperCase()] : undefined;
}
import { MANAGER_SYSTEMS } from './managerSystems';
import { EXTENSIONS, SYSTEMS } from './systems';

function nameOf(p: Practitioner): string | undefined {
  const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  if (!name) return undefined;
  return name.text ?? ([...(name.given ?? []), name.family].filter((s): s is string => typeof s === 'string' && s.length > 0).join(' ') || undefined);
}

function roleOf(role: PractitionerRole): StaffRole | undefined {
  for (const cc of role.code ?? []) {
    for (const c of cc.coding ?? []) {
      if (c.system === SYSTEMS.healthPersonnelCategory) {
        const found = roleForCategory(c.code);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function specialisedOn(p: Practitioner, asOf: string): boolean {
  return (p.qualification ?? []).some((q) => {
    const coded = q.code.coding?.some((c) => c.system === MANAGER_SYSTEMS.specialty && !!c.code) ?? false;
    const start = q.period?.start?.slice(0, 10);
    const end = q.period?.end?.slice(0, 10);
    return coded && (!start || start <= asOf) && (!end || end >= asOf);
  });
}

export interface StaffRead {
  staff: StaffMember[];
  /** Practitioner id -> role, for the charge mapper. */
  roles: Map<string, StaffRole>;
  issues: ManagerIssue[];
}

export function toStaffMembers(practitioners: readonly Practitioner[], roles: readonly PractitionerRole[], asOf: string): StaffRead {
  const issues: ManagerIssue[] = [];
  const byPractitioner = new Map<string, { role: StaffRole; percent: number }>();
  for (const r of roles) {
    if (r.active === false) continue;
    const id = referencedId(r.practitioner, 'Practitioner');
    const role = roleOf(r);
    if (!id || !role || byPractitioner.has(id)) continue;
    const raw = r.extension?.find((e) => e.url === EXTENSIONS.positionPercent)?.valueDecimal;
    let percent = 100;
    if (raw === undefined) {
      issues.push({ resourceType: 'PractitionerRole', ...(r.id ? { id: r.id } : {}), severity: 'warning', message: 'Stillingsprosent mangler; regnet som 100 %.' });
    } else if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 100) {
      issues.push({ resourceType: 'PractitionerRole', ...(r.id ? { id: r.id } : {}), severity: 'warning', message: `Ugyldig stillingsprosent (${String(raw)}); regnet som 100 %.` });
    } else percent = raw;
    byPractitioner.set(id, { role, percent });
  }
  const staff: StaffMember[] = [];
  const roleMap = new Map<string, StaffRole>();
  for (const p of practitioners) {
    if (!p.id) continue;
    const found = byPractitioner.get(p.id);
    if (!found) continue;
    roleMap.set(p.id, found.role);
    staff.push({ id: p.id, name: nameOf(p) ?? p.id, role: found.role, positionPercent: found.percent, specialised: specialisedOn(p, asOf) });
  }
  staff.sort((a, b) => a.name.localeCompare(b.name, 'nb'));
  return { staff, roles: roleMap, issues };
}
