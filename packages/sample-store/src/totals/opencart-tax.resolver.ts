/**
 * OpenCart's Tax library deciding which rates apply to an order: rules are looked up for the
 * shipping address, then the payment address, then the store address, each by priority, and only
 * for rates linked to the customer's group and whose geo zone holds the address.
 */
import type { AppliedTaxRate, TaxRatesByClass } from './opencart-totals.calculator';

export interface TaxRuleDef {
  taxRuleId: number;
  taxClassId: number;
  taxRateId: number;
  based: 'shipping' | 'payment' | 'store';
  priority: number;
}

export interface TaxRateDef extends AppliedTaxRate {
  geoZoneId: number;
  /** Customer groups the rate applies to (tax_rate_to_customer_group). */
  customerGroupIds: number[];
}

export interface ZoneToGeoZoneDef {
  geoZoneId: number;
  countryId: number;
  /** 0 = every zone of the country. */
  zoneId: number;
}

export interface Place {
  countryId: number;
  zoneId: number;
}

export interface TaxContext {
  rules: TaxRuleDef[];
  rates: TaxRateDef[];
  zoneToGeoZone: ZoneToGeoZoneDef[];
  customerGroupId: number;
  /** Null when the order ships nothing: then the store address stands in (config_tax_default = shipping). */
  shipping: Place | null;
  /** Null when the order has no payment address (4.x storefront checkout). */
  payment: Place | null;
  store: Place;
  /** config_tax_default: which rules use the store address when the order lacks that address. */
  taxDefault: 'shipping' | 'payment' | '';
}

export function resolveTaxRates(ctx: TaxContext): TaxRatesByClass {
  const byClass = new Map<number, Map<number, AppliedTaxRate>>();
  const inGeoZone = (geoZoneId: number, place: Place): boolean =>
    ctx.zoneToGeoZone.some((z) => z.geoZoneId === geoZoneId && z.countryId === place.countryId && (z.zoneId === 0 || z.zoneId === place.zoneId));
  const apply = (based: TaxRuleDef['based'], place: Place | null): void => {
    if (!place) return;
    const rules = ctx.rules
      .filter((r) => r.based === based)
      .sort((a, b) => a.priority - b.priority || a.taxRuleId - b.taxRuleId);
    for (const rule of rules) {
      const rate = ctx.rates.find((r) => r.taxRateId === rule.taxRateId);
      if (!rate || !rate.customerGroupIds.includes(ctx.customerGroupId) || !inGeoZone(rate.geoZoneId, place)) continue;
      const rates = byClass.get(rule.taxClassId) ?? new Map<number, AppliedTaxRate>();
      rates.set(rate.taxRateId, { taxRateId: rate.taxRateId, name: rate.name, type: rate.type, rate: rate.rate });
      byClass.set(rule.taxClassId, rates);
    }
  };
  apply('shipping', ctx.shipping ?? (ctx.taxDefault === 'shipping' ? ctx.store : null));
  apply('payment', ctx.payment ?? (ctx.taxDefault === 'payment' ? ctx.store : null));
  apply('store', ctx.store);
  return new Map([...byClass].map(([classId, rates]) => [classId, [...rates.values()]]));
}
