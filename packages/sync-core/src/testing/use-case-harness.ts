/** Wiring of the fakes for use-case tests: settings that pay invoices, a reporter that keeps lines. */
import { defaultSettings, type Settings } from '../settings/settings.schema';
import { FakeConnectorStore } from './fake-connector-store.port';
import type { FakeOpenCart } from './fake-open-cart.port';
import type { FakeXeroPort } from './fake-xero.port';
import { FixedClock, MemoryLogger } from './memory-logger';
import { createFakeXero, sampleStore } from './sample-data.fixture';
import type { RunLogLine, RunReporter, SyncProgress } from '../use-cases/sync-run.model';

export const SCOPE = 'store-0:org-uk';

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), invoiceStatus: 'AUTHORISED', paymentAccountCodes: { cod: '090' }, ...overrides };
}

export class CollectingReporter implements RunReporter {
  readonly lines: RunLogLine[] = [];
  readonly events: SyncProgress[] = [];
  log(line: RunLogLine): void {
    this.lines.push(line);
  }
  progress(event: SyncProgress): void {
    this.events.push(event);
  }
  statusOf(orderId: number): string[] {
    return this.lines.filter((l) => l.entityType === 'order' && l.entityId === String(orderId)).map((l) => l.status);
  }
}

export interface Harness {
  oc: FakeOpenCart;
  xero: FakeXeroPort;
  store: FakeConnectorStore;
  logger: MemoryLogger;
  clock: FixedClock;
}

export function harness(orders = 10, oc?: FakeOpenCart): Harness {
  return { oc: oc ?? sampleStore(orders), xero: createFakeXero(), store: new FakeConnectorStore(), logger: new MemoryLogger(), clock: new FixedClock() };
}
