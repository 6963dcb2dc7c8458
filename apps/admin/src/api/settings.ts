import { api, must } from './client';

export const readSettings = async () => must(await api.GET('/api/settings'));
export const saveSettings = async (patch: Record<string, unknown>) =>
  must(await api.PUT('/api/settings', { body: patch }));
export const contactNamePreview = async (contactFormat: string) =>
  must(await api.GET('/api/settings/contact-name-preview', { params: { query: { contactFormat } } }));
export const regenerateCronToken = async () => must(await api.POST('/api/settings/cron-token'));
