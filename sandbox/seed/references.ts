// Reference helpers (STYLE.md habit 3: never build references by string concatenation at call sites).
import type { Reference, Resource } from '@medplum/fhirtypes';

export function ref<T extends Resource>(resourceType: T['resourceType'], id: string, display?: string): Reference<T> {
  return display ? { reference: `${resourceType}/${id}`, display } : { reference: `${resourceType}/${id}` };
}

/** dd.mm.åååå as the UI and Norwegian letters write dates (GLOSSARY.md). */
export function norwegianDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
