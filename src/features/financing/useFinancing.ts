// The financing figures of the manager's period (issue 18), computed once from the practice settings and the
// loaded data: the Finansiering tab shows them, the Eksport tab exports them.
import { useMemo } from 'react';
import { computeFinancing, defaultRates, type Financing } from '../../domain/financing';
import type { Indicator } from '../../domain/manager';
import { calendarOf, DEFAULT_SETTINGS } from '../../domain/settings';
import type { ManagerData } from '../../fhir/manager';
import type { ApiContext } from '../../platform/api';
import { usePracticeSettings } from '../../platform/settings';

export function useFinancing(data: ManagerData, indicators: readonly Indicator[], api: ApiContext) {
  const query = usePracticeSettings(api);
  const practice = query.data?.settings ?? DEFAULT_SETTINGS;
  const settings = useMemo(() => ({ ...practice.financing, model: practice.financingModel }), [practice]);
  const cal = useMemo(() => calendarOf(practice), [practice]);
  // "So far this year" runs to the period's end, or today when the period is not over.
  const asOf = data.period.to < data.asOf ? data.period.to : data.asOf;
  const result = useMemo((): { error: string; financing: undefined } | { error: undefined; financing: Financing } => {
    try {
      return {
        error: undefined,
        financing: computeFinancing(defaultRates, settings, {
          asOf,
          charges: data.charges,
          staff: data.staff,
          norms: data.norms,
          listed: data.population.map((p) => ({ id: p.id, ...(p.sex ? { sex: p.sex } : {}), ...(p.facts.birthDate ? { birthDate: p.facts.birthDate } : {}) })),
          indicators,
          cal,
        }),
      };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err), financing: undefined };
    }
  }, [asOf, data, indicators, settings, cal]);
  return { query, settings, asOf, ...result };
}
