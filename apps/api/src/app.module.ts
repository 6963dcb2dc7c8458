import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { API_DB, AuthService } from './auth/auth.service';
import { LoginThrottleService } from './auth/login-throttle.service';
import { SameOriginJsonGuard } from './auth/same-origin.guard';
import { SessionService } from './auth/session.service';
import { SetupCodeService } from './auth/setup-code.service';
import { loggerOptions } from './common/logger.options';
import { NotFoundFilter } from './common/not-found.filter';
import { SyncErrorFilter } from './common/sync-error.filter';
import type { AppConfig } from './config/app-config';
import { PortsModule, type PortBindings } from './composition/ports.module';
import { PORT_BINDINGS, ShutdownService } from './composition/shutdown.service';
import { CronController } from './cron/cron.controller';
import { CronService } from './cron/cron.service';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from './dashboard/dashboard.service';
import { HealthController } from './health/health.controller';
import { LogController } from './log/log.controller';
import { LogService } from './log/log.service';
import { OpenCartLookupsController } from './opencart/opencart-lookups.controller';
import { OrdersController } from './orders/orders.controller';
import { OpenCartOrderSearchRepository } from './orders/opencart-order-search.repository';
import { OrderStateRepository } from './orders/order-state.repository';
import { OrderSyncQueueService } from './orders/order-sync-queue.service';
import { OrdersService } from './orders/orders.service';
import { OrderXeroService } from './orders/order-xero.service';
import { ProductsController } from './products/products.controller';
import { ProductsService } from './products/products.service';
import { RunService } from './runs/run.service';
import { RunsController } from './runs/runs.controller';
import { RunsFacade } from './runs/runs.facade';
import { SyncSchedulerService } from './scheduler/sync-scheduler.service';
import { SettingsController } from './settings/settings.controller';
import { SettingsFitService } from './settings/settings-fit.service';
import { SettingsService } from './settings/settings.service';
import { XeroWebhookController } from './webhooks/xero-webhook.controller';
import { XeroWebhookService } from './webhooks/xero-webhook.service';
import { XeroConnectionService } from './xero/xero-connection.service';
import { XeroController } from './xero/xero.controller';
import { XeroLookupsService } from './xero/xero-lookups.service';

@Module({})
export class AppModule {
  static register(input: { config: AppConfig; apiDb: DataSource; bindings: PortBindings }): DynamicModule {
    const providers: Provider[] = [
      { provide: API_DB, useValue: input.apiDb },
      { provide: PORT_BINDINGS, useValue: input.bindings },
      ShutdownService,
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: SyncErrorFilter },
      { provide: APP_FILTER, useClass: NotFoundFilter },
      AuthGuard,
      AuthService,
      SessionService,
      LoginThrottleService,
      SetupCodeService,
      SameOriginJsonGuard,
      SettingsService,
      SettingsFitService,
      XeroConnectionService,
      XeroLookupsService,
      RunService,
      RunsFacade,
      CronService,
      OrdersService,
      OrderXeroService,
      DashboardService,
      OpenCartOrderSearchRepository,
      OrderStateRepository,
      OrderSyncQueueService,
      ProductsService,
      LogService,
      XeroWebhookService,
      SyncSchedulerService,
    ];
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerOptions(input.config)),
        ScheduleModule.forRoot(),
        // Only setup uses it (@UseGuards(ThrottlerGuard)): 10 tries a minute per client. Login is throttled in the database (LoginThrottleService).
        ThrottlerModule.forRoot([{ name: 'password', ttl: 60_000, limit: 10 }]),
        PortsModule.register(input.config, input.bindings),
      ],
      controllers: [
        HealthController,
        DashboardController,
        AuthController,
        SettingsController,
        XeroController,
        OpenCartLookupsController,
        CronController,
        RunsController,
        OrdersController,
        ProductsController,
        LogController,
        XeroWebhookController,
      ],
      providers,
    };
  }
}
