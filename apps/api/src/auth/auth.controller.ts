import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiZodBody } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { Auth } from './auth-rule.decorator';
import { apiKeyBody, loginBody, setupBody } from './auth.dto';
import type { AuthedRequest } from './auth.guard';
import { SessionService } from './session.service';
import { AuthService } from './auth.service';
import { z } from 'zod';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
  ) {}

  @Post('setup') @Auth('setup') @HttpCode(201) @UseGuards(ThrottlerGuard) @ApiZodBody(setupBody)
  setup(@Body(new ZodPipe(setupBody)) body: z.infer<typeof setupBody>) { return this.sessions.setup(body); }

  @Post('login') @Auth('login') @HttpCode(200) @UseGuards(ThrottlerGuard) @ApiZodBody(loginBody)
  login(@Body(new ZodPipe(loginBody)) body: z.infer<typeof loginBody>, @Res({ passthrough: true }) res: Response) { return this.sessions.login(body, res); }

  @Post('logout') @HttpCode(204)
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) { return this.sessions.logout(req, res); }

  @Get('me')
  me(@Req() req: AuthedRequest) { return this.sessions.me(req); }

  @Get('api-keys') @Auth('session')
  listKeys() { return this.auth.listApiKeys(); }

  @Post('api-keys') @Auth('session') @ApiZodBody(apiKeyBody)
  createKey(@Body(new ZodPipe(apiKeyBody)) body: z.infer<typeof apiKeyBody>) { return this.auth.createApiKey(body.name); }

  @Delete('api-keys/:id') @Auth('session') @HttpCode(204)
  revokeKey(@Param('id') id: string) { return this.sessions.revokeKey(id); }
}
