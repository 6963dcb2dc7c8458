import express, { Router } from 'express';
import { FaultInjector, parseFaultRule, serializeFaultRule } from './fault.injector';
import { SandboxClock } from './sandbox.clock';
import { SpecViolation } from './sandbox.types';

// /__sandbox: the control API for tests, the demo and benchmarks (never counted, never faulted).

export interface ControlDeps {
  info: () => Record<string, unknown>;
  counters: () => Record<string, number>;
  state: () => unknown;
  violations: () => SpecViolation[];
  clearViolations: () => void;
  faults: FaultInjector;
  clock: SandboxClock;
  reset: () => void;
  /**
   * Marks a payment reconciled (or not) as matching it to a bank statement line in Xero would:
   * false when no organisation holds it.
   */
  reconcilePayment: (paymentId: string, reconciled: boolean) => boolean;
}

export function controlRouter(deps: ControlDeps): Router {
  const control = express.Router();
  control.use(express.json());
  control.get('/', (_req, res) => {
    res.json({
      ...deps.info(),
      now: deps.clock.now().toISOString(),
      faults: deps.faults.list().map(serializeFaultRule),
    });
  });
  control.get('/counters', (_req, res) => res.json(deps.counters()));
  control.get('/state', (_req, res) => res.json(deps.state()));
  control.get('/violations', (_req, res) => res.json(deps.violations()));
  control.delete('/violations', (_req, res) => {
    deps.clearViolations();
    res.status(204).end();
  });
  control.post('/faults', (req, res) => {
    try {
      const rule = parseFaultRule(req.body);
      deps.faults.add(rule);
      res.status(201).json(serializeFaultRule(rule));
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  });
  control.get('/faults', (_req, res) => res.json(deps.faults.list().map(serializeFaultRule)));
  control.delete('/faults', (_req, res) => {
    deps.faults.clear();
    res.status(204).end();
  });
  control.post('/clock', (req, res) => {
    const body = (req.body ?? {}) as { advanceMs?: unknown; set?: unknown };
    try {
      if (body.advanceMs !== undefined) deps.clock.advance(Number(body.advanceMs));
      else if (body.set !== undefined) deps.clock.set(new Date(String(body.set)));
      else throw new Error('Send { "advanceMs": n } or { "set": "<ISO date>" }');
      res.json({ now: deps.clock.now().toISOString() });
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  });
  // What a bookkeeper does in Xero's bank reconciliation: the payment is matched to a statement
  // line (IsReconciled), after which Xero refuses to delete it.
  control.post('/payments/:id/reconcile', (req, res) => {
    const reconciled = (req.body as { reconciled?: unknown } | undefined)?.reconciled !== false;
    if (!deps.reconcilePayment(String(req.params.id), reconciled))
      res.status(404).json({ error: `No payment ${String(req.params.id)} in any organisation.` });
    else res.json({ PaymentID: req.params.id, IsReconciled: reconciled });
  });
  control.post('/reset', (_req, res) => {
    deps.reset();
    res.json({ ok: true });
  });
  return control;
}
