import { z } from 'zod';
import { ApiZodResponse } from '../common/api-zod.decorator';
import { currencyView, ocTaxRateView, orderStatusOptionView, paymentMethodView, storeInfoView, storeView } from './opencart.views';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { OpenCartReader } from '@oc-xero/sync-core';
import { OPENCART_READER } from '../ports/tokens';

/** The admin's pickers from the store. Pure reads of the port: no rules to hold in a service. */
@ApiTags('opencart')
@Controller('api/opencart')
export class OpenCartLookupsController {
  constructor(@Inject(OPENCART_READER) private readonly reader: OpenCartReader) {}

  @Get('info') @ApiZodResponse(200, storeInfoView)
  info() { return this.reader.info(); }

  @Get('order-statuses') @ApiZodResponse(200, z.array(orderStatusOptionView))
  orderStatuses() { return this.reader.listOrderStatuses(); }

  @Get('payment-methods') @ApiZodResponse(200, z.array(paymentMethodView))
  paymentMethods() { return this.reader.listPaymentMethods(); }

  @Get('stores') @ApiZodResponse(200, z.array(storeView))
  stores() { return this.reader.listStores(); }

  @Get('tax-rates') @ApiZodResponse(200, z.array(ocTaxRateView))
  taxRates() { return this.reader.listTaxRates(); }

  @Get('currencies') @ApiZodResponse(200, z.array(currencyView))
  currencies() { return this.reader.listCurrencies(); }
}
