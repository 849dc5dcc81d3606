// server/epj/capabilities.ts (issue 16 item 2): the EPJ's CapabilityStatement -> typed profile -> what the
// app cannot read, in Norwegian. The statements are the sandbox's own two profiles (sandbox/fhir/capability.ts),
// so the parser is tested against what the narrow and full EPJ really publish; expectations by hand.
import { describe, expect, test } from 'vitest';
import { buildCapabilityStatement } from '../../../sandbox/fhir/capability';
import { loadDefinitions } from '../../../sandbox/fhir/definitions';
import { FULL_PROFILE } from '../../../sandbox/fhir/epjProfile';
import { applyOverride, CapabilityCache, capabilityReport, parseCapabilityOverride, parseCapabilityStatement } from '../../../server/epj/capabilities';
import { parseRegistry } from '../../../server/smart/registry';

loadDefinitions();
const BASE = 'http://epj.test/fhir';
const narrow = (optional: string[] = []) => parseCapabilityStatement(buildCapabilityStatement(BASE, '2026-11-25T00:00:00Z', { name: 'narrow', optional }));
const full = () => parseCapabilityStatement(buildCapabilityStatement(BASE, '2026-11-25T00:00:00Z', FULL_PROFILE));

const MEDICATIONS = 'Legemiddellisten er ikke tilgjengelig fra journalsystemet: polyfarmasi kan ikke vurderes.';

describe('parse', () => {
  test('narrow: reads six types, creates the journal note, nothing else', () => {
    const r = capabilityReport(narrow());
    expect(r.readable).toEqual(['Condition', 'Encounter', 'Organization', 'Patient', 'Practitioner', 'PractitionerRole']);
    expect(r.creatable).toEqual(['Binary', 'DocumentReference']);
    expect([r.transactions, r.conditionalCreate, r.ifMatch, r.include]).toEqual([false, false, false, false]);
    expect(r.notes.map((n) => n.id)).toEqual(['medications', 'frailty', 'procedures', 'care-plans', 'discharge-letters', 'coverage']);
    expect(r.notes.find((n) => n.id === 'medications')?.text).toBe(MEDICATIONS);
    expect(r.unavailableFacts).toEqual(['medications', 'frailtyScores', 'livesInInstitution', 'medicationReviews', 'carePlans']);
  });

  test('narrow with MedicationStatement and DocumentReference switched on', () => {
    const r = capabilityReport(narrow(['MedicationStatement', 'DocumentReference']));
    expect(r.notes.map((n) => n.id)).toEqual(['frailty', 'procedures', 'care-plans', 'discharge-messages', 'coverage']);
    expect(r.unavailableFacts).toEqual(['frailtyScores', 'livesInInstitution', 'medicationReviews', 'carePlans']);
  });

  test('full: everything, no notes', () => {
    const r = capabilityReport(full());
    expect([r.transactions, r.conditionalCreate, r.ifMatch, r.include]).toEqual([true, true, true, true]);
    expect(r.notes).toEqual([]);
    expect(r.unavailableFacts).toEqual([]);
  });

  test('not a CapabilityStatement is refused', () => {
    expect(() => parseCapabilityStatement({ resourceType: 'Patient' })).toThrow();
  });
});

describe('registry override', () => {
  test('lists replace, flags win', () => {
    const r = capabilityReport(applyOverride(full(), { read: ['Patient', 'Condition'], transactions: false, ifMatch: false }));
    expect(r.readable).toEqual(['Condition', 'Patient']);
    expect(r.transactions).toBe(false);
    expect(r.ifMatch).toBe(false);
    expect(r.notes[0]?.id).toBe('medications');
  });

  test.each([
    [{ read: 'Patient' }, 'epjs[0].capabilities.read: Invalid type: Expected Array but received "Patient"'],
    [{ transactions: 'yes' }, 'epjs[0].capabilities.transactions: må være true eller false'],
    [{ read: ['patient'] }, 'epjs[0].capabilities.read[0]: må være en ressurstype'],
  ])('a bad override %j names the field', (value, message) => {
    expect(() => parseCapabilityOverride(value, 'epjs[0].capabilities')).toThrow(message);
  });

  test('the registry parses it, and refuses a bad one at start', () => {
    const entry = { iss: 'http://epj.test/fhir', clientId: 'x', tokenEndpointAuth: 'private_key_jwt' };
    const ok = parseRegistry({ epjs: [{ ...entry, capabilities: { read: ['Patient'] } }] }, {}, 'reg');
    expect(ok.entries[0]?.capabilities).toEqual({ read: ['Patient'] });
    expect(() => parseRegistry({ epjs: [{ ...entry, capabilities: { include: 1 } }] }, {}, 'reg')).toThrow('reg: epjs[0].capabilities.include: må være true eller false');
  });
});

describe('cache', () => {
  test('fetched once per EPJ within the TTL, again after it; a failed fetch says it could not read', async () => {
    let clock = 0;
    const calls: string[] = [];
    let answer: () => Response = () => new Response(JSON.stringify(buildCapabilityStatement(BASE, 'x', { name: 'narrow', optional: [] })));
    const cache = new CapabilityCache(
      async (url) => {
        calls.push(url);
        return answer();
      },
      () => clock,
      1000,
    );
    expect(capabilityReport(await cache.get(BASE)).readable).toHaveLength(6);
    clock = 999;
    await cache.get(BASE);
    expect(calls).toEqual([`${BASE}/metadata`]);
    clock = 1000;
    answer = () => new Response('nope', { status: 500 });
    const failed = capabilityReport(await cache.get(BASE));
    expect(failed.source).toBe('unknown');
    expect(failed.notes.map((n) => n.id)).toEqual(['unknown']);
    expect(calls).toHaveLength(2);
  });

  test('forget (at each launch): the next get reads the statement again, within the TTL', async () => {
    let profile: 'full' | 'narrow' = 'full';
    let fetched = 0;
    const cache = new CapabilityCache(async () => {
      fetched++;
      return new Response(JSON.stringify(buildCapabilityStatement(BASE, 'x', { name: profile, optional: [] })));
    }, () => 0);
    // The full journal gives the medication list; the narrow one (NAV's six types) does not.
    expect(capabilityReport(await cache.get(BASE)).readable).toContain('MedicationStatement');
    profile = 'narrow';
    expect(capabilityReport(await cache.get(BASE)).readable).toContain('MedicationStatement');
    cache.forget(BASE);
    const narrow = capabilityReport(await cache.get(BASE)).readable;
    expect(narrow).toHaveLength(6);
    expect(narrow).not.toContain('MedicationStatement');
    expect(fetched).toBe(2);
  });

  test('ignoreStatement: the override alone, nothing fetched', async () => {
    const cache = new CapabilityCache(async () => {
      throw new Error('must not fetch');
    });
    const r = capabilityReport(await cache.get(BASE, { ignoreStatement: true, read: ['Patient', 'Condition', 'Encounter', 'MedicationStatement'] }));
    expect(r.source).toBe('override');
    expect(r.readable).toEqual(['Condition', 'Encounter', 'MedicationStatement', 'Patient']);
  });
});
