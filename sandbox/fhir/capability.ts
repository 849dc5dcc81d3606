// GET /fhir/metadata. Advertises SMART (App Launch 2.x §"Conformance": the oauth-uris extension on
// rest.security) and, per resource type, the search parameters this server's engine really answers.
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { allResourceTypes, expressionFor, getSearchParam } from './definitions';
import { isIndexedKind } from './search-index';
import { globalSchema } from '@medplum/core';
import { FULL_PROFILE, NARROW_CREATE, readableTypes, type EpjProfile } from './epjProfile';

export function buildCapabilityStatement(baseUrl: string, date: string, profile: EpjProfile = FULL_PROFILE): CapabilityStatement {
  const origin = new URL(baseUrl).origin;
  const narrow = profile.name === 'narrow';
  const readable = readableTypes(profile);
  const types = readable ? [...new Set([...readable, ...NARROW_CREATE])] : allResourceTypes();
  return {
    id: narrow ? 'sandbox-narrow' : 'sandbox-full',
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    software: { name: 'Primærhelseteam sandbox FHIR server (Medplum fhir-router)', version: narrow ? 'narrow' : 'full' },
    implementation: {
      description: narrow
        ? `Local EPJ sandbox, narrow profile (a Norwegian GP journal): read ${readable?.join(', ')}; create ${NARROW_CREATE.join(', ')}; no transactions, conditional create, If-Match or _include`
        : 'Local EPJ sandbox, full profile',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: `${origin}/auth/authorize` },
                { url: 'token', valueUri: `${origin}/auth/token` },
              ],
            },
          ],
        },
        interaction: narrow ? [{ code: 'batch' }] : [{ code: 'transaction' }, { code: 'batch' }],
        // FHIR Bulk Data Access 2.0 (sandbox/fhir/bulkExport.ts), full profile only: system, Patient and Group level.
        ...(narrow
          ? {}
          : {
              operation: [
                { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
                { name: 'patient-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
                { name: 'group-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' },
              ],
            }),
        resource: types.map((type) => (narrow ? describeNarrowResource(type, readable ?? []) : describeResource(type))),
      },
    ],
  };
}

function describeResource(type: string): CapabilityStatementRestResource {
  const params = Object.keys(globalSchema.types[type]?.searchParams ?? {}).flatMap((code) => {
    const param = getSearchParam(type, code);
    const answerable = code === '_id' || code === '_lastUpdated' || (param && isIndexedKind(param.type) && expressionFor(type, param));
    return answerable && param ? [{ name: code, type: param.type }] : [];
  });
  return {
    // The schema's type names are the R4 resource types this union lists.
    type: type as CapabilityStatementRestResource['type'],
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'single',
    interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'].map((code) => ({ code: code as 'read' })),
    searchParam: params,
    searchInclude: ['*'],
    searchRevInclude: ['*'],
  };
}

/** Narrow: read + search for the readable types, create (unconditional) for the journal note's types; nothing else. */
function describeNarrowResource(type: string, readable: readonly string[]): CapabilityStatementRestResource {
  const full = describeResource(type);
  const canRead = readable.includes(type);
  const canCreate = NARROW_CREATE.includes(type);
  const interaction = [...(canRead ? ['read', 'search-type'] : []), ...(canCreate ? ['create'] : [])];
  return {
    type: full.type,
    versioning: 'no-version',
    readHistory: false,
    updateCreate: false,
    conditionalCreate: false,
    conditionalRead: 'not-supported',
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    interaction: interaction.map((code) => ({ code: code as 'read' })),
    ...(canRead ? { searchParam: full.searchParam, searchInclude: [], searchRevInclude: [] } : {}),
  };
}
