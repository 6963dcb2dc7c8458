import { IndexedMap } from './indexed.map';
import { Json, OrganisationSeed } from './organisation.seed';

// In-memory state of one Xero organisation. Entities are stored in Xero's own JSON shape
// (PascalCase, /Date()/ strings) so what we store is what we answer.

export class OrganisationStore {
  readonly tenantId: string;
  organisation: Json;
  accounts: Json[];
  taxRates: Json[];
  currencies: Json[];
  trackingCategories: Json[];
  readonly dailyRates: Record<string, number>;
  // Indexed by the fields every batch element is looked up by (see indexed.map.ts).
  readonly contacts = new IndexedMap<Json>({ number: (c) => c.ContactNumber, name: (c) => c.Name });
  readonly items = new IndexedMap<Json>({ code: (i) => i.Code });
  readonly invoices = new IndexedMap<Json>({ number: (d) => d.InvoiceNumber });
  readonly creditNotes = new IndexedMap<Json>({ number: (d) => d.CreditNoteNumber });
  readonly payments = new IndexedMap<Json>();
  invoiceSequence = 0;
  creditNoteSequence = 0;

  constructor(seed: OrganisationSeed) {
    this.tenantId = seed.tenantId;
    this.organisation = seed.organisation;
    this.accounts = seed.accounts;
    this.taxRates = seed.taxRates;
    this.currencies = seed.currencies;
    this.trackingCategories = seed.trackingCategories;
    this.dailyRates = seed.dailyRates;
    this.multiCurrency = seed.multiCurrency ?? true;
  }

  /** The plan has multi-currency (see SandboxPlan). */
  readonly multiCurrency: boolean;

  get name(): string {
    return String(this.organisation.Name);
  }

  get baseCurrency(): string {
    return String(this.organisation.BaseCurrency);
  }

  accountByCode(code: unknown): Json | undefined {
    if (code === undefined || code === null) return undefined;
    return this.accounts.find((a) => String(a.Code).toLowerCase() === String(code).toLowerCase());
  }

  accountById(id: unknown): Json | undefined {
    return this.accounts.find((a) => sameId(a.AccountID, id));
  }

  taxRate(taxType: unknown): Json | undefined {
    return this.taxRates.find((t) => t.TaxType === taxType);
  }

  itemByCode(code: unknown): Json | undefined {
    if (typeof code !== 'string') return undefined;
    return this.items
      .lookup('code', code)
      .find((item) => String(item.Code).toLowerCase() === code.toLowerCase());
  }

  dump(): Json {
    return {
      tenantId: this.tenantId,
      Organisation: this.organisation,
      Accounts: this.accounts,
      TaxRates: this.taxRates,
      Currencies: this.currencies,
      TrackingCategories: this.trackingCategories,
      Contacts: [...this.contacts.values()],
      Items: [...this.items.values()],
      Invoices: [...this.invoices.values()],
      CreditNotes: [...this.creditNotes.values()],
      Payments: [...this.payments.values()],
    };
  }
}

export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}
