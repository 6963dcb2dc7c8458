import { api, must } from './client';

export const orderStatuses = async () => must(await api.GET('/api/opencart/order-statuses'));
export const paymentMethods = async () => must(await api.GET('/api/opencart/payment-methods'));
export const stores = async () => must(await api.GET('/api/opencart/stores'));
export const taxRates = async () => must(await api.GET('/api/opencart/tax-rates'));
