export type { FaultRule, RunningSandbox, SandboxApp, SandboxOptions, SpecViolation } from './sandbox.types';
export { startSandbox } from './sandbox.server';
export { computeInvoiceTotals, roundMoney } from './invoice-totals.calculator';
export type { InvoiceTotals, InvoiceTotalsInput, InvoiceTotalsOptions } from './invoice-totals.calculator';
export { UK_TENANT_ID, NZ_TENANT_ID } from './organisation.seed';
