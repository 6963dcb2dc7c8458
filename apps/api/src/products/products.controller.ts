import { overrideView, productListView } from './product.views';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BridgeAllowed } from '../auth/auth-rule.decorator';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { overrideBody, productIdParam, productListQuery } from './product.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@Controller('api/products')
@BridgeAllowed()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get() @ApiZodQuery(productListQuery) @ApiZodResponse(200, productListView)
  list(@Query(new ZodPipe(productListQuery)) q: z.infer<typeof productListQuery>) { return this.products.list(q); }

  @Put(':id/override') @ApiZodBody(overrideBody) @ApiZodResponse(200, overrideView)
  setOverride(@Param('id', new ZodPipe(productIdParam, 'id')) id: number, @Body(new ZodPipe(overrideBody)) b: z.infer<typeof overrideBody>) { return this.products.setOverride(id, b); }
}
