import { z } from 'zod';
import { API_KEY_SCOPES } from './auth.service';
import { PASSWORD_MAX_LENGTH, passwordProblem } from './password.util';

export const setupBody = z
  .object({
    setupCode: z.string().trim().min(1, 'Enter the setup code from the service log.').max(64),
    username: z.string().trim().min(1, 'Enter a username.').max(128),
    password: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .superRefine((b, ctx) => {
    const problem = passwordProblem(b.password, b.username);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
export const loginBody = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(128),
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH),
});
export const apiKeyBody = z.object({
  name: z.string().trim().min(1, 'Name the key, e.g. "OpenCart admin".').max(100),
  scope: z.enum(API_KEY_SCOPES, { message: `scope must be one of ${API_KEY_SCOPES.join(', ')}` }).default('admin'),
});
