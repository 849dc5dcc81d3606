import { describe, expect, test } from 'vitest';
import { parseRegistry, RegistryError } from '../../../server/smart/registry';
import { foreignPatients, isPatientScoped } from '../../../server/epj/proxy';

const entry = {
  iss: 'https://epj.example/fhir/',
  clientId: 'primaerhelseteam-server',
  tokenEndpointAuth: 'private_key_jwt',
  frameAncestors: ['https://epj.example/some/page'],
};

describe('EPJ registry', () => {
  test('a valid entry: trailing slash dropped, defaults ES256 / PAR auto / no DPoP, frame-ancestors as origins', () => {
    const registry = parseRegistry({ epjs: [entry] }, {});
    expect(registry.lookup('https://epj.example/fhir')).toMatchObject({ iss: 'https://epj.example/fhir', alg: 'ES256', par: 'auto', dpop: false });
    expect(registry.lookup('https://epj.example/fhir/')).toBeDefined();
    expect(registry.lookup('https://epj.example/fhir/x')).toBeUndefined();
    expect(registry.frameAncestors()).toEqual(['https://epj.example']);
  });

  test.each([
    [{ epjs: {} }, '«epjs» må være en liste'],
    [{ epjs: [{ ...entry, iss: 'not a url' }] }, 'epjs[0].iss: «not a url» er ikke en gyldig URL'],
    [{ epjs: [{ ...entry, iss: 'ftp://epj.example/fhir' }] }, 'epjs[0].iss: må være http(s)'],
    [{ epjs: [{ ...entry, clientId: '' }] }, 'epjs[0].clientId: mangler'],
    [{ epjs: [{ ...entry, tokenEndpointAuth: 'client_secret_post' }] }, 'epjs[0].tokenEndpointAuth: må være en av private_key_jwt, client_secret_basic, none'],
    [{ epjs: [{ ...entry, tokenEndpointAuth: 'client_secret_basic' }] }, 'epjs[0].clientSecretEnv'],
    [{ epjs: [{ ...entry, alg: 'HS256' }] }, 'epjs[0].alg: må være en av ES256, RS256, PS256'],
    [{ epjs: [{ ...entry, par: 'sometimes' }] }, 'epjs[0].par'],
    [{ epjs: [{ ...entry, dpop: 'yes' }] }, 'epjs[0].dpop: må være true eller false'],
    [{ epjs: [entry, entry] }, 'epjs[1].iss: https://epj.example/fhir er registrert to ganger'],
  ])('%j is refused naming the field', (json, message) => {
    expect(() => parseRegistry(json, {})).toThrow(RegistryError);
    expect(() => parseRegistry(json, {})).toThrow(message);
  });

  test('${PHT_SANDBOX_ORIGIN} is substituted; set to off, the sandbox entries are left out', () => {
    const json = { epjs: [{ ...entry, iss: '${PHT_SANDBOX_ORIGIN}/fhir', frameAncestors: ['${PHT_SANDBOX_ORIGIN}'] }, entry] };
    expect(parseRegistry(json, { PHT_SANDBOX_ORIGIN: 'http://localhost:8103' }).entries.map((e) => e.iss)).toEqual(['http://localhost:8103/fhir', 'https://epj.example/fhir']);
    expect(parseRegistry(json, { PHT_SANDBOX_ORIGIN: 'off' }).entries.map((e) => e.iss)).toEqual(['https://epj.example/fhir']);
    expect(() => parseRegistry(json, {})).toThrow('${PHT_SANDBOX_ORIGIN} er ikke satt');
  });
});

describe('the proxy patient check', () => {
  test('patient-scoped = a launch patient and no user/ or system/ scope', () => {
    expect(isPatientScoped({ patient: 'p1', grantedScopes: ['launch', 'patient/Condition.rs'] })).toBe(true);
    expect(isPatientScoped({ patient: 'p1', grantedScopes: ['patient/Condition.rs', 'user/Patient.rs'] })).toBe(false);
    expect(isPatientScoped({ grantedScopes: ['patient/Condition.rs'] })).toBe(false);
  });

  test('finds other patients in a resource or anywhere in a Bundle; practitioners and the patient itself pass', () => {
    const own = { resourceType: 'Condition', subject: { reference: 'Patient/p1' } };
    const other = { resourceType: 'Observation', subject: { reference: 'Patient/p2' } };
    expect(foreignPatients({ resourceType: 'Patient', id: 'p1' }, 'p1')).toEqual([]);
    expect(foreignPatients({ resourceType: 'Patient', id: 'p9' }, 'p1')).toEqual(['p9']);
    expect(foreignPatients({ resourceType: 'Practitioner', id: 'x' }, 'p1')).toEqual([]);
    expect(foreignPatients({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: own }, { resource: other }] }, 'p1')).toEqual(['p2']);
    expect(foreignPatients({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Bundle', entry: [{ resource: other }] } }] }, 'p1')).toEqual(['p2']);
    expect(foreignPatients(undefined, 'p1')).toEqual([]);
  });
});
