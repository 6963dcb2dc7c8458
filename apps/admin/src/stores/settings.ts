import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/settings';

/** Keys whose value differs between two documents (deep, via JSON), so a save sends only changes. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The settings document as saved, and the draft the screens edit. */
export const useSettingsStore = defineStore('settings', () => {
  const saved = ref<Record<string, unknown>>({});
  const draft = ref<Record<string, unknown>>({});
  const cron = ref<{ url: string | null; line: string | null; hint: string }>({ url: null, line: null, hint: '' });
  const dirty = computed(() => changedKeys(saved.value, draft.value).length > 0);

  function take(r: Awaited<ReturnType<typeof api.readSettings>>): void {
    saved.value = clone(r.settings);
    draft.value = clone(r.settings);
    cron.value = r.cron;
  }
  async function load(): Promise<void> {
    take(await api.readSettings());
  }
  /** Saves the changed keys; a 400 throws an ApiError whose field errors the screen places. */
  /** Saves what changed; answers the API's notices (e.g. account codes saved unchecked while Xero was unreachable). */
  async function save(): Promise<string[]> {
    const patch = clone(Object.fromEntries(changedKeys(saved.value, draft.value).map((k) => [k, draft.value[k]])));
    if (Object.keys(patch).length === 0) return [];
    const r = await api.saveSettings(patch);
    take(r);
    return r.notices ?? [];
  }
  async function regenerateCronToken(): Promise<void> {
    await api.regenerateCronToken();
    await load();
  }
  return { saved, draft, cron, dirty, load, save, regenerateCronToken };
});
