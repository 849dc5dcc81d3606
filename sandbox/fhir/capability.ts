// GET /fhir/metadata. Advertises SMART (App Launch 2.x §"Conformance": the oauth-uris extension on
// rest.security) and, per resource type, the search parameters this server's engine really answers.
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { allResourceTypes, expressionFor, getSearchParam } from './definitions';
import { isIndexedKind } from './search-index';
import { globalSchema } from '@medplum/core';

export function buildCapabilityStatement(baseUrl: string, date: string): CapabilityStatement {
  const origin = new URL(baseUrl).origin;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    software: { name: 'Primærhelseteam sandbox FHIR server (Medplum fhir-router)' },
    implementation: { description: 'Local EPJ sandbox', url: baseUrl },
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
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        // FHIR Bulk Data Access 2.0 (sandbox/fhir/bulkExport.ts): system, Patient and Group level.
        operation: [
          { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
          { name: 'patient-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
          { name: 'group-export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' },
        ],
        resource: allResourceTypes().map(describeResource),
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
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'single',
    interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'].map((code) => ({ code: code as 'read' })),
    searchParam: params,
  };
}
