import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodResponse } from '../common/api-zod.decorator';
import { dashboardView } from './dashboard.views';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get() @ApiZodResponse(200, dashboardView)
  view() { return this.dashboard.view(); }
}
