import { randomUUID } from 'node:crypto';
import {
  ApiContext,
  ApiResult,
  checkLength,
  elementsOf,
  ElementValidationError,
  envelope,
  listQuery,
  notFound,
  runBatch,
  str,
  unitdpOf,
} from './accounting.common';
import { roundMoney } from './invoice-totals.calculator';
import { Json } from './organisation.seed';
import { OrganisationStore, sameId } from './organisation.store';
import { msDate } from './xero-date.util';

const WRITABLE = [
  'Code',
  'Name',
  'Description',
  'PurchaseDescription',
  'IsSold',
  'IsPurchased',
  'SalesDetails',
  'PurchaseDetails',
  'InventoryAssetAccountCode',
];

export function findItem(org: OrganisationStore, idOrCode: string): Json | undefined {
  const byId = org.items.byId(idOrCode);
  if (byId && sameId(byId.ItemID, idOrCode)) return byId;
  return org.itemByCode(idOrCode);
}

function checkDetails(
  org: OrganisationStore,
  errors: string[],
  label: string,
  details: unknown,
  accountField: string,
): void {
  if (!details || typeof details !== 'object') return;
  const d = details as Json;
  const code = d[accountField];
  if (code !== undefined && code !== null && code !== '') {
    const account = org.accountByCode(code);
    if (!account || account.Status !== 'ACTIVE')
      errors.push(`${label} ${accountField} '${String(code)}' is not a valid account code.`);
  }
  if (d.TaxType !== undefined && d.TaxType !== null && d.TaxType !== '' && !org.taxRate(d.TaxType)) {
    errors.push(
      `The TaxType code '${String(d.TaxType)}' does not exist or cannot be used for this type of transaction.`,
    );
  }
}

/** Creates or updates one item (POST matches ItemID or Code). QuantityOnHand and TotalCostPool are read-only. */
export function saveItem(
  org: OrganisationStore,
  now: Date,
  input: Json,
  options: { upsert: boolean; pathId?: string },
): Json {
  let existing: Json | undefined;
  const id = options.pathId ?? str(input.ItemID);
  if (id) {
    existing = findItem(org, id);
    if (!existing)
      throw new ElementValidationError(['The item with the supplied ItemID could not be found.']);
  } else if (options.upsert && str(input.Code)) {
    existing = org.itemByCode(str(input.Code));
  }
  const merged: Json = { ...(existing ?? {}) };
  for (const key of WRITABLE) if (input[key] !== undefined) merged[key] = input[key];
  const errors: string[] = [];
  const code = str(merged.Code);
  if (!code || code.trim() === '') errors.push('Item code must be specified.');
  checkLength(errors, 'The Code field', merged.Code, 30);
  checkLength(errors, 'The Name field', merged.Name, 50);
  checkLength(errors, 'The Description field', merged.Description, 4000);
  checkLength(errors, 'The PurchaseDescription field', merged.PurchaseDescription, 4000);
  const other = code ? org.itemByCode(code) : undefined;
  if (other && !sameId(other.ItemID, existing?.ItemID)) errors.push(`Item code '${code}' already exists.`);
  checkDetails(org, errors, 'SalesDetails', merged.SalesDetails, 'AccountCode');
  checkDetails(org, errors, 'PurchaseDetails', merged.PurchaseDetails, 'AccountCode');
  checkDetails(org, errors, 'PurchaseDetails', merged.PurchaseDetails, 'COGSAccountCode');
  const inventoryCode = str(merged.InventoryAssetAccountCode);
  const tracked = !!inventoryCode;
  if (tracked) {
    const account = org.accountByCode(inventoryCode);
    if (!account || account.Type !== 'INVENTORY' || account.Status !== 'ACTIVE') {
      errors.push(
        `InventoryAssetAccountCode '${inventoryCode}' must be an active account of type Inventory.`,
      );
    }
    const cogs = (merged.PurchaseDetails as Json | undefined)?.COGSAccountCode;
    if (!cogs) errors.push('A tracked inventory item needs PurchaseDetails.COGSAccountCode.');
  } else if (existing?.IsTrackedAsInventory && Number(existing.QuantityOnHand) !== 0) {
    errors.push('This item has inventory on hand and cannot be changed to untracked.');
  }
  if (errors.length) throw new ElementValidationError(errors);
  const item: Json = {
    ItemID: existing?.ItemID ?? randomUUID(),
    IsSold: true,
    IsPurchased: true,
    ...merged,
    Code: code,
    IsTrackedAsInventory: tracked,
    UpdatedDateUTC: msDate(now),
  };
  for (const [key, field] of [
    ['SalesDetails', 'UnitPrice'],
    ['PurchaseDetails', 'UnitPrice'],
  ] as const) {
    const details = item[key] as Json | undefined;
    if (details && typeof details[field] === 'number')
      details[field] = roundMoney(details[field] as number, 4);
  }
  if (tracked) {
    item.QuantityOnHand = existing?.QuantityOnHand ?? 0;
    item.TotalCostPool = existing?.TotalCostPool ?? 0;
  } else {
    delete item.QuantityOnHand;
    delete item.TotalCostPool;
    delete item.InventoryAssetAccountCode;
  }
  org.items.set(String(item.ItemID), item);
  return item;
}

function present(item: Json, unitdp: number): Json {
  if (unitdp === 4) return item;
  const out: Json = { ...item };
  for (const key of ['SalesDetails', 'PurchaseDetails']) {
    const d = out[key] as Json | undefined;
    if (d && typeof d.UnitPrice === 'number') out[key] = { ...d, UnitPrice: roundMoney(d.UnitPrice, 2) };
  }
  return out;
}

export function getItems(ctx: ApiContext, id?: string): ApiResult {
  const unitdp = unitdpOf(ctx);
  if (id) {
    const item = findItem(ctx.org, id);
    return item ? { status: 200, body: envelope(ctx, 'Items', [present(item, unitdp)]) } : notFound();
  }
  // GET /Items has no paging in Xero.
  const { items } = listQuery(ctx, [...ctx.org.items.values()], { idField: 'ItemID', paged: false });
  return {
    status: 200,
    body: envelope(
      ctx,
      'Items',
      items.map((i) => present(i, unitdp)),
    ),
  };
}

export function writeItems(ctx: ApiContext, method: 'PUT' | 'POST', pathId?: string): ApiResult {
  const unitdp = unitdpOf(ctx);
  return runBatch(ctx, 'Items', elementsOf(ctx.body, 'Items'), (element) =>
    present(saveItem(ctx.org, ctx.now, element, { upsert: method === 'POST', pathId }), unitdp),
  );
}
