import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiZodBody, ApiZodResponse } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { Auth, BridgeAllowed } from './auth-rule.decorator';
import { apiKeyBody, loginBody, setupBody } from './auth.dto';
import { apiKeyCreatedView, apiKeyView, loginView, meView, setupDoneView, setupStatusView } from './auth.views';
import type { AuthedRequest } from './auth.guard';
import { AuthService } from './auth.service';
import { SameOriginJsonGuard } from './same-origin.guard';
import { SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
  ) {}

  @Get('setup-status') @Auth('public') @ApiZodResponse(200, setupStatusView)
  setupStatus() { return this.sessions.setupStatus(); }

  // The in-memory per-client throttle stays on setup: the setup code is guessed here.
  @Post('setup') @Auth('setup') @HttpCode(201) @UseGuards(SameOriginJsonGuard, ThrottlerGuard) @ApiZodBody(setupBody) @ApiZodResponse(201, setupDoneView)
  setup(@Body(new ZodPipe(setupBody)) body: z.infer<typeof setupBody>) { return this.sessions.setup(body); }

  @Post('login') @Auth('login') @HttpCode(200) @UseGuards(SameOriginJsonGuard) @ApiZodBody(loginBody) @ApiZodResponse(200, loginView)
  login(@Body(new ZodPipe(loginBody)) body: z.infer<typeof loginBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response) { return this.sessions.login(body, req, res); }

  @Post('logout') @HttpCode(204) @BridgeAllowed() @ApiZodResponse(204)
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) { return this.sessions.logout(req, res); }

  @Get('me') @BridgeAllowed() @ApiZodResponse(200, meView)
  me(@Req() req: AuthedRequest) { return this.sessions.me(req); }

  @Get('api-keys') @Auth('session') @ApiZodResponse(200, z.array(apiKeyView))
  listKeys() { return this.auth.listApiKeys(); }

  @Post('api-keys') @Auth('session') @ApiZodBody(apiKeyBody) @ApiZodResponse(201, apiKeyCreatedView)
  createKey(@Body(new ZodPipe(apiKeyBody)) body: z.infer<typeof apiKeyBody>) { return this.sessions.createKey(body); }

  @Delete('api-keys/:id') @Auth('session') @HttpCode(204) @ApiZodResponse(204)
  revokeKey(@Param('id') id: string) { return this.sessions.revokeKey(id); }
}
