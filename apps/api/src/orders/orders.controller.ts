import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BridgeAllowed } from '../auth/auth-rule.decorator';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { markBeforeBody, orderIdParam, orderIdsBody, orderListQuery, orderStatusQuery } from './order.dto';
import { markedCountView, markedView, orderDetailView, orderListView, orderPreviewView, orderStatusView, orderXeroView, syncQueuedView, syncStartedView, unmarkedView } from './order.views';
import { OrderXeroService } from './order-xero.service';
import { OrdersService } from './orders.service';

type Ids = z.infer<typeof orderIdsBody>;

/** Every order route is also open to `opencart-bridge` keys (the OpenCart extension's order list, page and bulk actions). */
@ApiTags('orders')
@Controller('api/orders')
@BridgeAllowed()
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly xero: OrderXeroService,
  ) {}

  @Get() @ApiZodQuery(orderListQuery) @ApiZodResponse(200, orderListView)
  list(@Query(new ZodPipe(orderListQuery)) q: z.infer<typeof orderListQuery>) { return this.orders.list(q); }

  @Get('status') @ApiZodQuery(orderStatusQuery) @ApiZodResponse(200, orderStatusView)
  status(@Query(new ZodPipe(orderStatusQuery)) q: z.infer<typeof orderStatusQuery>) { return this.orders.status(q.ids); }

  @Get(':id') @ApiZodResponse(200, orderDetailView)
  detail(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.detail(id); }

  @Get(':id/xero') @ApiZodResponse(200, orderXeroView)
  xeroView(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.xero.read(id); }

  @Get(':id/preview') @ApiZodResponse(200, orderPreviewView)
  preview(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.preview(id); }

  @Post('sync') @HttpCode(202) @ApiZodBody(orderIdsBody) @ApiZodResponse(202, syncStartedView)
  syncNow(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.syncNow(b.orderIds); }

  @Post('sync-soon') @HttpCode(202) @ApiZodBody(orderIdsBody) @ApiZodResponse(202, syncQueuedView)
  syncSoon(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.syncSoon(b.orderIds); }

  @Post(':id/sync') @HttpCode(202) @ApiZodResponse(202, syncStartedView)
  syncOne(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.syncNow([id]); }

  @Put(':id/mark') @ApiZodResponse(200, markedView)
  markOne(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.mark([id]); }

  @Delete(':id/mark') @ApiZodResponse(200, unmarkedView)
  unmarkOne(@Param('id', new ZodPipe(orderIdParam, 'id')) id: number) { return this.orders.unmark([id]); }

  @Post('mark') @ApiZodBody(orderIdsBody) @ApiZodResponse(201, markedView)
  mark(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.mark(b.orderIds); }

  @Post('mark-before') @ApiZodBody(markBeforeBody) @ApiZodResponse(201, markedCountView)
  markBefore(@Body(new ZodPipe(markBeforeBody)) b: z.infer<typeof markBeforeBody>) { return this.orders.markBefore(b); }

  @Post('unmark') @ApiZodBody(orderIdsBody) @ApiZodResponse(201, unmarkedView)
  unmark(@Body(new ZodPipe(orderIdsBody)) b: Ids) { return this.orders.unmark(b.orderIds); }
}
