import { api, must } from './client';

export const listProducts = async (query: { q?: string; afterId?: number; limit?: number }) =>
  must(await api.GET('/api/products', { params: { query } }));
export const setOverride = async (
  id: number,
  body: { salesAccountCode?: string | null; purchaseAccountCode?: string | null },
) => must(await api.PUT('/api/products/{id}/override', { params: { path: { id } }, body }));
