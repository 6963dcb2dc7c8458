import { api, must } from './client';

export const dashboard = async () => must(await api.GET('/api/dashboard'));
