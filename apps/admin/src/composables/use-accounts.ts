import { computed, ref } from 'vue';
import * as xero from '../api/xero';
import { ACCOUNT_KIND_TYPES, type AccountKind } from '@oc-xero/sync-core/settings';

type Account = Awaited<ReturnType<typeof xero.accounts>>[number];

/** Which Xero account types fit each kind of field (no typing codes: pick from the chart); sync-core's, beside the settings. */
export const ACCOUNT_TYPES = ACCOUNT_KIND_TYPES;
export type { AccountKind };

export function accountOptions(all: Account[], kind: AccountKind): Array<{ label: string; value: string }> {
  const types = ACCOUNT_TYPES[kind] as readonly string[];
  return all
    .filter((a) => a.Code && a.Status !== 'ARCHIVED')
    .filter((a) => types.length === 0 || types.includes(a.Type) || (kind === 'payment' && a.EnablePaymentsToAccount))
    .map((a) => ({ label: `${a.Code} — ${a.Name}`, value: a.Code as string }));
}

const chart = ref<Account[]>([]);
const loaded = ref(false);
/** The organisation's chart of accounts, loaded once per page. */
export function useAccounts() {
  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return;
    chart.value = await xero.accounts();
    loaded.value = true;
  }
  const options = (kind: AccountKind) => computed(() => accountOptions(chart.value, kind));
  return { chart, loaded, load, options };
}
