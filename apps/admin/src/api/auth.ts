import { api, must } from './client';
import type { components } from './schema.gen';

export const setupStatus = async () => must(await api.GET('/api/auth/setup-status'));
export const setup = async (body: { setupCode: string; username: string; password: string }) =>
  must(await api.POST('/api/auth/setup', { body }));
export const login = async (body: { username: string; password: string }) =>
  must(await api.POST('/api/auth/login', { body }));
export const logout = async () => {
  await api.POST('/api/auth/logout');
};
export const me = async () => must(await api.GET('/api/auth/me'));
export const listApiKeys = async () => must(await api.GET('/api/auth/api-keys'));
export const createApiKey = async (name: string, scope: 'admin' | 'opencart-bridge') =>
  must(await api.POST('/api/auth/api-keys', { body: { name, scope } }));
export const revokeApiKey = async (id: string) => {
  await api.DELETE('/api/auth/api-keys/{id}', { params: { path: { id } } });
};
export type Components = components;
