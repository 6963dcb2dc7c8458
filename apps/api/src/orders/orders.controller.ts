import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodBody, ApiZodQuery } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { orderIdParam, orderIdsBody, orderListQuery } from './order.dto';
import { OrdersService } from './orders.service';

type Ids = z.infer<typeof orderIdsBody>;

@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get() @ApiZodQuery(orderListQuery)
  list(@Query(new ZodPipe(orderListQuery)) q: z.infer<typeof orderListQuery>) { return this.orders.list(q); }

  @Get(':id/preview')
  preview(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.preview(id); }

  @Post('sync') @HttpCode(202) @ApiZodBody(orderIdsBody)
  syncNow(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.syncNow(b.orderIds); }

  @Post(':id/sync') @HttpCode(202)
  syncOne(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.syncNow([id]); }

  @Put(':id/mark')
  markOne(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.mark([id]); }

  @Delete(':id/mark')
  unmarkOne(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.unmark([id]); }

  @Post('mark') @ApiZodBody(orderIdsBody)
  mark(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.mark(b.orderIds); }

  @Post('unmark') @ApiZodBody(orderIdsBody)
  unmark(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.unmark(b.orderIds); }
}
