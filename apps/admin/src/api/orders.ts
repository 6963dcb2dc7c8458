import { api, must } from './client';
import type { paths } from './schema.gen';

export type OrdersQuery = NonNullable<paths['/api/orders']['get']['parameters']['query']>;
export type OrdersPage = paths['/api/orders']['get']['responses']['200']['content']['application/json'];
export type OrderRow = OrdersPage['items'][number];

export const listOrders = async (query: OrdersQuery) => must(await api.GET('/api/orders', { params: { query } }));
export const preview = async (id: number) =>
  must(await api.GET('/api/orders/{id}/preview', { params: { path: { id } } }));
export const syncOne = async (id: number) => must(await api.POST('/api/orders/{id}/sync', { params: { path: { id } } }));
export const syncMany = async (orderIds: number[]) => must(await api.POST('/api/orders/sync', { body: { orderIds } }));
export const mark = async (orderIds: number[]) => must(await api.POST('/api/orders/mark', { body: { orderIds } }));
export const unmark = async (orderIds: number[]) => must(await api.POST('/api/orders/unmark', { body: { orderIds } }));
export const markBefore = async (before: string, storeId?: number) =>
  must(await api.POST('/api/orders/mark-before', { body: { before, ...(storeId === undefined ? {} : { storeId }) } }));
