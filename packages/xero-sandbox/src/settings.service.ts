import {
  ApiContext,
  ApiResult,
  elementsOf,
  ElementValidationError,
  envelope,
  listQuery,
  notFound,
  runBatch,
  str,
} from './accounting.common';
import { sameId } from './organisation.store';

export function getOrganisation(ctx: ApiContext): ApiResult {
  return { status: 200, body: envelope(ctx, 'Organisations', [ctx.org.organisation]) };
}

export function getAccounts(ctx: ApiContext, id?: string): ApiResult {
  if (id) {
    const account = ctx.org.accountById(id);
    return account ? { status: 200, body: envelope(ctx, 'Accounts', [account]) } : notFound();
  }
  return {
    status: 200,
    body: envelope(
      ctx,
      'Accounts',
      listQuery(ctx, ctx.org.accounts, { idField: 'AccountID', paged: false }).items,
    ),
  };
}

export function getTaxRates(ctx: ApiContext): ApiResult {
  let rates = ctx.org.taxRates;
  if (ctx.query.TaxType) rates = rates.filter((r) => r.TaxType === ctx.query.TaxType);
  return {
    status: 200,
    body: envelope(ctx, 'TaxRates', listQuery(ctx, rates, { idField: 'TaxType', paged: false }).items),
  };
}

export function getCurrencies(ctx: ApiContext): ApiResult {
  return {
    status: 200,
    body: envelope(
      ctx,
      'Currencies',
      listQuery(ctx, ctx.org.currencies, { idField: 'Code', paged: false }).items,
    ),
  };
}

/** PUT /Currencies adds a currency to the organisation (multi-currency orgs). */
export function putCurrencies(ctx: ApiContext): ApiResult {
  return runBatch(ctx, 'Currencies', elementsOf(ctx.body, 'Currencies'), (element) => {
    const code = str(element.Code)?.toUpperCase();
    if (!code || !/^[A-Z]{3}$/.test(code))
      throw new ElementValidationError(['Currency Code must be a 3-letter ISO code.']);
    const existing = ctx.org.currencies.find((c) => c.Code === code);
    if (existing) return existing;
    if (!ctx.org.multiCurrency)
      throw new ElementValidationError([
        `The currency ${code} cannot be added: this organisation's Xero plan does not include multi-currency.`,
      ]);
    const currency = { Code: code, Description: str(element.Description) ?? code };
    ctx.org.currencies.push(currency);
    return currency;
  });
}

export function getTrackingCategories(ctx: ApiContext, id?: string): ApiResult {
  if (id) {
    const category = ctx.org.trackingCategories.find((c) => sameId(c.TrackingCategoryID, id));
    return category ? { status: 200, body: envelope(ctx, 'TrackingCategories', [category]) } : notFound();
  }
  return {
    status: 200,
    body: envelope(
      ctx,
      'TrackingCategories',
      listQuery(ctx, ctx.org.trackingCategories, { idField: 'TrackingCategoryID', paged: false }).items,
    ),
  };
}
