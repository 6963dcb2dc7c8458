import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OpenCartReader } from '@oc-xero/sync-core';
import { OPENCART_READER } from '../ports/tokens';

/** The admin's pickers from the store. Pure reads of the port: no rules to hold in a service. */
@ApiTags('opencart')
@Controller('api/opencart')
export class OpenCartLookupsController {
  constructor(@Inject(OPENCART_READER) private readonly reader: OpenCartReader) {}

  @Get('info')
  info() { return this.reader.info(); }

  @Get('order-statuses')
  orderStatuses() { return this.reader.listOrderStatuses(); }

  @Get('payment-methods')
  paymentMethods() { return this.reader.listPaymentMethods(); }

  @Get('stores')
  stores() { return this.reader.listStores(); }

  @Get('tax-rates')
  taxRates() { return this.reader.listTaxRates(); }

  @Get('currencies')
  currencies() { return this.reader.listCurrencies(); }
}
