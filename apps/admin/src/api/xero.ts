import { api, must } from './client';

export const xeroStatus = async () => must(await api.GET('/api/xero/status'));
export const connectUrl = async () =>
  must(await api.GET('/api/xero/connect', { params: { query: { redirect: 'false' } } }));
export const disconnect = async () => {
  await api.DELETE('/api/xero/connection');
};
export const tenants = async () => must(await api.GET('/api/xero/tenants'));
export const chooseTenant = async (tenantId: string) => must(await api.PUT('/api/xero/tenant', { body: { tenantId } }));
export const accounts = async () => must(await api.GET('/api/xero/accounts'));
export const xeroTaxRates = async () => must(await api.GET('/api/xero/tax-rates'));
