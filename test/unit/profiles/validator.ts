// Validates FHIR resources against FHIR R4 core and the compiled PHT profiles (fhir-profiles/fsh-generated).
// Medplum's validator (@medplum/core 5.x) checks structure, cardinality, fixed/pattern values, slices and
// FHIRPath invariants, but not terminology bindings nor the definitions of extensions, and it only warns on
// wrong reference targets. This module adds those three so that our profiles mean what they say:
// - required bindings: the code must be in the value set (expanded from our compiled ValueSets/CodeSystems
//   and the core ones; a value set with filters or an unknown code system is not checked);
// - every extension with a known definition (ours or core) is validated against that definition;
// - a reference to a resource type the profile does not allow is an error.
// Used by test/unit/profiles/validate.test.ts and by the tests of the app's resource builders.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OperationOutcomeError,
  indexStructureDefinitionBundle,
  validateResource,
  validateTypedValue,
  type TypedValueWithPath,
} from '@medplum/core';
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  Coding,
  OperationOutcomeIssue,
  Resource,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';
import { PHT_CANONICAL } from '../../../src/fhir/systems.ts';
import { CORE_BUNDLES, readCoreBundle } from '../../../scripts/fhir-core-package.ts';
import { buildProfiles, generatedIsFresh } from '../../../scripts/build-profiles.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const GENERATED_RESOURCES_DIR = join(repoRoot, 'fhir-profiles', 'fsh-generated', 'resources');

/**
 * The unit tier's globalSetup (test/support/setupProfiles.ts) compiles the profiles before any test runs;
 * this only compiles them (SUSHI, 10-15 s, under a lock) when a file is run without it and they are stale.
 */
export function ensureProfilesBuilt(): void {
  if (generatedIsFresh()) return;
  const result = buildProfiles({ ifStale: true });
  if (result.errors > 0) throw new Error(`Building the FHIR profiles failed:\n${result.output}`);
}

/** All compiled resources of fhir-profiles (profiles, extensions, code systems, value sets, examples). */
export function readGeneratedResources(): Resource[] {
  ensureProfilesBuilt();
  return readdirSync(GENERATED_RESOURCES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(GENERATED_RESOURCES_DIR, f), 'utf8')) as Resource);
}

interface Definitions {
  profiles: Map<string, StructureDefinition>;
  extensions: Map<string, StructureDefinition>;
  valueSets: Map<string, ValueSet>;
  codeSystems: Map<string, CodeSystem>;
  examples: Resource[];
}

let definitions: Definitions | undefined;

function entriesOf(bundle: { entry?: { resource?: unknown }[] }): Resource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as Resource] : []));
}

function loadDefinitions(): Definitions {
  if (definitions) return definitions;
  const core = CORE_BUNDLES.flatMap((file) => entriesOf(readCoreBundle(file)));
  const pht = readGeneratedResources();
  const structureDefinitions = [...core, ...pht].filter(
    (r): r is StructureDefinition => r.resourceType === 'StructureDefinition',
  );
  // Medplum needs the base types and resources first; then ours (constraints on them).
  indexStructureDefinitionBundle(readCoreBundle('profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readCoreBundle('profiles-resources.json') as Bundle);
  const phtSds = pht.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
  indexStructureDefinitionBundle(phtSds);

  const defs: Definitions = {
    profiles: new Map(),
    extensions: new Map(),
    valueSets: new Map(),
    codeSystems: new Map(),
    examples: [],
  };
  for (const sd of structureDefinitions) {
    if (!sd.url) continue;
    if (sd.type === 'Extension' && sd.derivation === 'constraint') defs.extensions.set(sd.url, sd);
    else if (sd.url.startsWith(PHT_CANONICAL)) defs.profiles.set(sd.url, sd);
  }
  for (const r of [...core, ...pht]) {
    if (r.resourceType === 'ValueSet' && r.url && !defs.valueSets.has(r.url)) defs.valueSets.set(r.url, r);
    if (r.resourceType === 'CodeSystem' && r.url && !defs.codeSystems.has(r.url)) defs.codeSystems.set(r.url, r);
  }
  defs.examples = pht.filter((r) => !['StructureDefinition', 'ValueSet', 'CodeSystem'].includes(r.resourceType));
  definitions = defs;
  return defs;
}

/** The compiled PHT profiles by canonical URL. */
export function phtProfiles(): Map<string, StructureDefinition> {
  return loadDefinitions().profiles;
}

/** The compiled example instances of fhir-profiles. */
export function phtExamples(): Resource[] {
  return loadDefinitions().examples;
}

/** The compiled PHT value sets by id. */
export function phtValueSets(): Map<string, ValueSet> {
  const byId = new Map<string, ValueSet>();
  for (const vs of loadDefinitions().valueSets.values()) {
    if (vs.url?.startsWith(PHT_CANONICAL) && vs.id) byId.set(vs.id, vs);
  }
  return byId;
}

// ------------------------------------------------------------------------------------------ terminology

interface Expansion {
  codes: Set<string>; // `${system}|${code}`
  anyCodeOf: Set<string>; // systems included whole whose concepts we do not have (e.g. Volven 7461)
}

const expansions = new Map<string, Expansion | null>();

function flattenConcepts(concepts: CodeSystemConcept[] | undefined, out: string[]): string[] {
  for (const c of concepts ?? []) {
    out.push(c.code);
    flattenConcepts(c.concept, out);
  }
  return out;
}

/** Expands a value set by enumeration; null when that is impossible here (filters, unknown value sets). */
function expand(url: string, seen: Set<string> = new Set()): Expansion | null {
  const key = url.split('|')[0] ?? url;
  if (expansions.has(key)) return expansions.get(key) ?? null;
  if (seen.has(key)) return null;
  seen.add(key);
  const defs = loadDefinitions();
  const vs = defs.valueSets.get(key);
  let result: Expansion | null = null;
  if (vs?.compose) {
    result = { codes: new Set(), anyCodeOf: new Set() };
    for (const inc of vs.compose.include) {
      if (inc.filter?.length) {
        result = null;
        break;
      }
      for (const nested of inc.valueSet ?? []) {
        const sub = expand(nested, seen);
        if (!sub) {
          result = null;
          break;
        }
        sub.codes.forEach((c) => result?.codes.add(c));
        sub.anyCodeOf.forEach((s) => result?.anyCodeOf.add(s));
      }
      if (!result) break;
      if (!inc.system) continue;
      if (inc.concept?.length) {
        for (const c of inc.concept) result.codes.add(`${inc.system}|${c.code}`);
        continue;
      }
      const cs = defs.codeSystems.get(inc.system);
      if (cs?.concept?.length && cs.content === 'complete') {
        for (const code of flattenConcepts(cs.concept, [])) result.codes.add(`${inc.system}|${code}`);
      } else {
        result.anyCodeOf.add(inc.system);
      }
    }
    for (const exc of vs.compose.exclude ?? []) {
      for (const c of exc.concept ?? []) result?.codes.delete(`${exc.system}|${c.code}`);
    }
  }
  expansions.set(key, result);
  return result;
}

function codingInExpansion(coding: Coding, exp: Expansion): boolean {
  if (!coding.system || !coding.code) return false;
  return exp.anyCodeOf.has(coding.system) || exp.codes.has(`${coding.system}|${coding.code}`);
}

function bindingIssues(tokens: Record<string, TypedValueWithPath[]>): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  for (const [valueSet, values] of Object.entries(tokens)) {
    const exp = expand(valueSet);
    if (!exp) continue;
    for (const tv of values) {
      let ok = true;
      let shown = '';
      if (tv.type === 'code' && typeof tv.value === 'string') {
        const code = tv.value;
        ok =
          exp.anyCodeOf.size > 0 || [...exp.codes].some((c) => c.slice(c.lastIndexOf('|') + 1) === code);
        shown = code;
      } else if (tv.type === 'Coding') {
        const coding = tv.value as Coding;
        ok = codingInExpansion(coding, exp);
        shown = `${coding.system}#${coding.code}`;
      } else if (tv.type === 'CodeableConcept') {
        const codings = (tv.value as { coding?: Coding[] }).coding ?? [];
        ok = codings.some((c) => codingInExpansion(c, exp));
        shown = codings.map((c) => `${c.system}#${c.code}`).join(', ') || '(no coding)';
      } else {
        continue;
      }
      if (!ok) {
        issues.push({
          severity: 'error',
          code: 'code-invalid',
          details: { text: `${shown} is not in the required value set ${valueSet}` },
          expression: [tv.path],
        });
      }
    }
  }
  return issues;
}

// --------------------------------------------------------------------------------------------- checks

function issuesOf(fn: () => OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue ?? [];
    throw err;
  }
}

/** Medplum reports a reference to a resource type the element does not allow as a warning; we refuse it. */
function escalate(issue: OperationOutcomeIssue): OperationOutcomeIssue {
  const text = issue.details?.text ?? '';
  return issue.severity === 'warning' && text.startsWith('Invalid reference') ? { ...issue, severity: 'error' } : issue;
}

interface ExtensionAt {
  path: string;
  extension: { url?: string } & Record<string, unknown>;
}

function collectExtensions(value: unknown, path: string, out: ExtensionAt[]): ExtensionAt[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectExtensions(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'contained') continue; // contained resources are validated on their own
      if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(child)) {
        child.forEach((ext: ExtensionAt['extension'], i) => out.push({ path: `${path}.${key}[${i}]`, extension: ext }));
        // Only top-level extensions of each element: sub-extensions belong to their parent's definition.
        continue;
      }
      collectExtensions(child, `${path}.${key}`, out);
    }
  }
  return out;
}

function extensionIssues(resource: Resource): OperationOutcomeIssue[] {
  const defs = loadDefinitions();
  const issues: OperationOutcomeIssue[] = [];
  const tokens: Record<string, TypedValueWithPath[]> = {};
  for (const { path, extension } of collectExtensions(resource, resource.resourceType, [])) {
    const sd = extension.url ? defs.extensions.get(extension.url) : undefined;
    if (!sd) {
      if (extension.url?.startsWith(PHT_CANONICAL)) {
        issues.push({
          severity: 'error',
          code: 'structure',
          details: { text: `Unknown PHT extension ${extension.url}` },
          expression: [path],
        });
      }
      continue;
    }
    const found = issuesOf(() =>
      validateTypedValue({ type: 'Extension', value: extension }, { profile: sd, collect: { tokens } }),
    );
    issues.push(...found.map((i) => ({ ...i, expression: [path, ...(i.expression ?? [])] })));
    issues.push(...subExtensionIssues(sd, extension, path));
  }
  return [...issues, ...bindingIssues(tokens)];
}

/**
 * Medplum validates the slices of a complex extension by count only, not their content: check that each
 * sub-extension carries a value of an allowed type (e.g. egenandel.charged is Money).
 */
function subExtensionIssues(sd: StructureDefinition, extension: ExtensionAt['extension'], path: string): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const elements = sd.snapshot?.element ?? [];
  const subs = Array.isArray(extension.extension) ? (extension.extension as ExtensionAt['extension'][]) : [];
  subs.forEach((sub, i) => {
    const valueElement = elements.find((e) => e.id === `Extension.extension:${sub.url}.value[x]`);
    if (!valueElement) return;
    const allowed = (valueElement.type ?? []).map((t) => t.code);
    const present = Object.keys(sub).filter((k) => k.startsWith('value'));
    const subPath = `${path}.extension[${i}]`;
    for (const key of present) {
      const type = key.slice('value'.length);
      if (!allowed.some((code) => code.toLowerCase() === type.toLowerCase())) {
        issues.push({
          severity: 'error',
          code: 'structure',
          details: { text: `Sub-extension '${sub.url}' has ${key}; allowed: ${allowed.join(', ')}` },
          expression: [subPath],
        });
      }
    }
    if (present.length === 0 && (valueElement.min ?? 0) > 0) {
      issues.push({
        severity: 'error',
        code: 'required',
        details: { text: `Sub-extension '${sub.url}' has no value` },
        expression: [subPath],
      });
    }
  });
  return issues;
}

export interface ValidateOptions {
  /** Refuse a resource that claims no PHT profile in meta.profile (default true: builders stamp one). */
  requireProfile?: boolean;
}

/**
 * Validates a resource against core FHIR R4 and every PHT profile in its meta.profile. Returns all issues
 * (errors and warnings); the resource is valid when none has severity error or fatal.
 */
export function validateAgainstProfiles(resource: Resource, options: ValidateOptions = {}): OperationOutcomeIssue[] {
  const defs = loadDefinitions();
  const claimed = (resource.meta?.profile ?? []).filter((p) => p.startsWith(PHT_CANONICAL));
  const issues: OperationOutcomeIssue[] = [];
  if (claimed.length === 0 && (options.requireProfile ?? true)) {
    issues.push({
      severity: 'error',
      code: 'structure',
      details: { text: `${resource.resourceType} claims no PHT profile in meta.profile` },
    });
  }
  const baseTokens: Record<string, TypedValueWithPath[]> = {};
  issues.push(...issuesOf(() => validateResource(resource, { collect: { tokens: baseTokens } })));
  issues.push(...bindingIssues(baseTokens));
  for (const url of claimed) {
    const profile = defs.profiles.get(url.split('|')[0] ?? url);
    if (!profile) {
      issues.push({ severity: 'error', code: 'not-found', details: { text: `Unknown PHT profile ${url}` } });
      continue;
    }
    if (profile.type !== resource.resourceType) {
      issues.push({
        severity: 'error',
        code: 'structure',
        details: { text: `Profile ${url} is for ${profile.type}, not ${resource.resourceType}` },
      });
      continue;
    }
    const tokens: Record<string, TypedValueWithPath[]> = {};
    issues.push(...issuesOf(() => validateResource(resource, { profile, collect: { tokens } })));
    issues.push(...bindingIssues(tokens));
  }
  issues.push(...extensionIssues(resource));
  return dedupe(issues.map(escalate));
}

function dedupe(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.severity}|${i.details?.text}|${(i.expression ?? []).join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function errorsOf(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** Throws with a readable list of the errors when the resource is not valid. For builder tests. */
export function assertValidAgainstProfiles(resource: Resource, options: ValidateOptions = {}): void {
  const errors = errorsOf(validateAgainstProfiles(resource, options));
  if (errors.length > 0) {
    const lines = errors.map((e) => `- ${(e.expression ?? []).join(' ')}: ${e.details?.text ?? e.diagnostics ?? e.code}`);
    throw new Error(`${resource.resourceType}/${resource.id ?? '(no id)'} is not valid:\n${lines.join('\n')}`);
  }
}

// Load the definitions (core R4 bundles plus ours, a few seconds on a busy machine) when a test file imports
// this module, during collection: outside every test's and hook's time budget (issue 13, point 1).
loadDefinitions();
