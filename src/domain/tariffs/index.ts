export {
  CatalogueError,
  catalogueInForce,
  invalidCombinations,
  parseCatalogue,
  tariffInForce,
  type Catalogue,
  type CatalogueErrorDetail,
  type Profession,
  type Tariff,
} from './catalogue';
export { defaultCatalogues, pilot2018Catalogue } from './defaults';
export {
  claimableFromHelfo,
  priceLines,
  TariffNotInForceError,
  type Amounts,
  type FinancingModel,
  type PricedLine,
  type PricedLines,
} from './pricing';
export {
  suggestNurseTariffs,
  timeTariffCount,
  TIME_TARIFF_AFTER_MINUTES,
  TIME_TARIFF_PERIOD_MINUTES,
  type ContactFacts,
  type ContactKind,
  type TariffLine,
} from './suggest';
export {
  GP_CONTACT_KINDS,
  gpContactChannel,
  isGpContactKind,
  suggestGpTariffs,
  type AnyContactKind,
  type GpContactKind,
} from './gpSuggest';
