import { api, must } from './client';
import type { paths } from './schema.gen';

export type StartRun = NonNullable<paths['/api/runs']['post']['requestBody']>['content']['application/json'];
export type LogQuery = NonNullable<paths['/api/log']['get']['parameters']['query']>;

export const startRun = async (body: StartRun) => must(await api.POST('/api/runs', { body }));
export const runHistory = async (limit = 20) => must(await api.GET('/api/runs', { params: { query: { limit } } }));
export const run = async (id: string) => must(await api.GET('/api/runs/{id}', { params: { path: { id } } }));
export const cancelRun = async (id: string) => must(await api.POST('/api/runs/{id}/cancel', { params: { path: { id } } }));
export const log = async (query: LogQuery) => must(await api.GET('/api/log', { params: { query } }));
