import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

const saved: Array<Record<string, unknown>> = [];
vi.mock('../api/settings', () => ({
  readSettings: async () => ({ settings: { contactFormat: '{firstname} {lastname}', exportStatuses: ['Complete'], debug: false }, cron: { url: null, line: null, hint: '' } }),
  saveSettings: async (patch: Record<string, unknown>) => {
    saved.push(patch);
    return { settings: { contactFormat: '{firstname} {lastname}', exportStatuses: ['Complete'], debug: false, ...patch }, cron: { url: null, line: null, hint: '' } };
  },
  regenerateCronToken: async () => ({}),
}));

import { changedKeys, useSettingsStore } from './settings';

describe('settings store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    saved.length = 0;
  });
  it('finds changed keys deeply', () => {
    expect(changedKeys({ a: [1], b: 'x' }, { a: [1], b: 'y' })).toEqual(['b']);
    expect(changedKeys({ a: { x: 1 } }, { a: { x: 2 } })).toEqual(['a']);
  });
  it('saves only what changed and becomes clean again', async () => {
    const s = useSettingsStore();
    await s.load();
    expect(s.dirty).toBe(false);
    (s.draft.exportStatuses as string[]).push('Shipped');
    s.draft.debug = true;
    expect(s.dirty).toBe(true);
    await s.save();
    expect(saved).toEqual([{ exportStatuses: ['Complete', 'Shipped'], debug: true }]);
    expect(s.dirty).toBe(false);
  });
  it('sends nothing when nothing changed', async () => {
    const s = useSettingsStore();
    await s.load();
    await s.save();
    expect(saved).toEqual([]);
  });
});
