// `npm run sandbox -- --load FILE` (issue 16 item 5): reads an EPJ-shaped transaction Bundle into the
// resources the sandbox loads instead of its synthetic practice. All or nothing: every entry is checked
// (structure, FHIR R4 validity, request, ids, no duplicates) before anything is loaded, and the first
// fault is refused with the entry index and the field.
//
// Entries are either `PUT Type/id` (the resource keeps that id) or `POST Type` with a `urn:uuid:` fullUrl
// (the loader gives it an id and rewrites every reference to that fullUrl to `Type/id`).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { OperationOutcomeError } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadDefinitions } from './fhir/definitions';
import { assertPlainJson, validateForWrite } from './fhir/validate';

export class BundleLoadError extends Error {
  constructor(
    /** Where, as a FHIRPath-like expression: `Bundle.entry[3].resource.birthDate`. */
    readonly at: string,
    readonly reason: string,
  ) {
    super(`${at}: ${reason}`);
    this.name = 'BundleLoadError';
  }
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID_URN = /^urn:uuid:[0-9a-fA-F-]{36}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first issue of a validation outcome as `field: text`. */
function describeOutcome(err: OperationOutcomeError): { field?: string; text: string } {
  const issue = err.outcome.issue?.[0];
  const text = issue?.details?.text ?? issue?.diagnostics ?? 'invalid';
  const field = issue?.expression?.[0];
  return { ...(field !== undefined && { field }), text };
}

/** Replaces every `reference` equal to a known urn:uuid fullUrl with its `Type/id`. */
function rewriteReferences(value: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, ids));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === 'reference' && typeof v === 'string' && ids.has(v) ? ids.get(v) : rewriteReferences(v, ids);
  }
  return out;
}

/** A stable id for a POSTed entry (the same file gives the same ids on every load). */
function idFor(fullUrl: string): string {
  return `ld-${createHash('sha256').update(fullUrl).digest('hex').slice(0, 20)}`;
}

/** Parses and checks a transaction Bundle; throws BundleLoadError naming the entry and field. */
export function parseLoadBundle(json: unknown): Resource[] {
  loadDefinitions();
  if (!isRecord(json)) throw new BundleLoadError('Bundle', 'filen må inneholde ett JSON-objekt (en FHIR Bundle)');
  try {
    assertPlainJson(json);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      const { field, text } = describeOutcome(err);
      throw new BundleLoadError(field ? `Bundle.${field}` : 'Bundle', text);
    }
    throw err;
  }
  if (json.resourceType !== 'Bundle') throw new BundleLoadError('Bundle.resourceType', `må være «Bundle», ikke ${JSON.stringify(json.resourceType)}`);
  if (json.type !== 'transaction') throw new BundleLoadError('Bundle.type', `må være «transaction», ikke ${JSON.stringify(json.type)}`);
  if (!Array.isArray(json.entry) || json.entry.length === 0) throw new BundleLoadError('Bundle.entry', 'mangler eller er tom');
  const entries: unknown[] = json.entry;

  // First pass: requests and ids, so references between entries can be rewritten before validation.
  const uuidIds = new Map<string, string>();
  const planned: { at: string; resource: Record<string, unknown>; type: string; id: string }[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const at = `Bundle.entry[${i}]`;
    if (!isRecord(entry)) throw new BundleLoadError(at, 'må være et objekt');
    const resource = entry.resource;
    if (!isRecord(resource)) throw new BundleLoadError(`${at}.resource`, 'mangler');
    const type = resource.resourceType;
    if (typeof type !== 'string' || type === '') throw new BundleLoadError(`${at}.resource.resourceType`, 'mangler');
    const request = entry.request;
    if (!isRecord(request)) throw new BundleLoadError(`${at}.request`, 'mangler (method og url)');
    const url = typeof request.url === 'string' ? request.url.trim() : '';
    let id: string;
    if (request.method === 'PUT') {
      const [urlType, urlId, ...rest] = url.split('/');
      if (urlType !== type || urlId === undefined || rest.length > 0) throw new BundleLoadError(`${at}.request.url`, `må være «${type}/<id>» for PUT, ikke ${JSON.stringify(url)}`);
      if (!ID.test(urlId)) throw new BundleLoadError(`${at}.request.url`, `ugyldig id ${JSON.stringify(urlId)}`);
      if (resource.id !== undefined && resource.id !== urlId) throw new BundleLoadError(`${at}.resource.id`, `stemmer ikke med request.url (${JSON.stringify(resource.id)} / ${JSON.stringify(urlId)})`);
      id = urlId;
    } else if (request.method === 'POST') {
      if (url !== type) throw new BundleLoadError(`${at}.request.url`, `må være «${type}» for POST, ikke ${JSON.stringify(url)}`);
      const fullUrl = entry.fullUrl;
      if (typeof fullUrl !== 'string' || !UUID_URN.test(fullUrl)) throw new BundleLoadError(`${at}.fullUrl`, 'en POST må ha en fullUrl på formen urn:uuid:<uuid>');
      if (uuidIds.has(fullUrl)) throw new BundleLoadError(`${at}.fullUrl`, `${fullUrl} finnes to ganger`);
      if (request.ifNoneExist !== undefined) throw new BundleLoadError(`${at}.request.ifNoneExist`, 'betinget opprettelse støttes ikke av lasteren');
      id = idFor(fullUrl);
      uuidIds.set(fullUrl, `${type}/${id}`);
    } else {
      throw new BundleLoadError(`${at}.request.method`, `må være PUT eller POST, ikke ${JSON.stringify(request.method)}`);
    }
    const key = `${type}/${id}`;
    if (seen.has(key)) throw new BundleLoadError(`${at}.request.url`, `${key} finnes to ganger i bunten`);
    seen.add(key);
    planned.push({ at, resource, type, id });
  });

  // Second pass: rewrite urn:uuid references, then validate each resource as the FHIR server would.
  return planned.map(({ at, resource, id }) => {
    const rewritten = { ...(rewriteReferences(resource, uuidIds) as Record<string, unknown>), id } as unknown as Resource;
    const unresolved = findUuidReference(rewritten);
    if (unresolved) throw new BundleLoadError(`${at}.resource.${unresolved.path}`, `${unresolved.value} peker ikke på noen fullUrl i bunten`);
    try {
      validateForWrite(rewritten);
    } catch (err) {
      if (err instanceof OperationOutcomeError) {
        const { field, text } = describeOutcome(err);
        throw new BundleLoadError(`${at}.resource${field ? `.${field.replace(new RegExp(`^${rewritten.resourceType}\\.?`), '')}`.replace(/\.$/, '') : ''}`, text);
      }
      throw err;
    }
    return rewritten;
  });
}

function findUuidReference(value: unknown, path = ''): { path: string; value: string } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUuidReference(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key === 'reference' && typeof v === 'string' && v.startsWith('urn:uuid:')) return { path: at, value: v };
    const found = findUuidReference(v, at);
    if (found) return found;
  }
  return undefined;
}

/** Reads FILE (JSON) and parses it with parseLoadBundle; a file that is not JSON is refused too. */
export function readLoadBundle(file: string): Resource[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BundleLoadError(file, `kan ikke leses (${err instanceof Error ? err.message : String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BundleLoadError(file, `er ikke gyldig JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseLoadBundle(json);
}
