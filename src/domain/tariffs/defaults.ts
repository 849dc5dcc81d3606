// The default catalogue shipped with the app: SPEC §5 Table 1 (source ch. 6.1.4) plus demo GP tariffs.
// Parsed at load, so a broken file fails loudly (and in test/unit/domain/tariffs-catalogue.test.ts).
import pilot2018 from './catalogues/pilot-2018.json';
import { parseCatalogue, type Catalogue } from './catalogue';

export const pilot2018Catalogue: Catalogue = parseCatalogue(pilot2018);

/** Catalogues the app knows without a loaded file; pick one with catalogueInForce. */
export const defaultCatalogues: readonly Catalogue[] = [pilot2018Catalogue];
