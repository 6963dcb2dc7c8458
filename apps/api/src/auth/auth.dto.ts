import { z } from 'zod';

export const setupBody = z.object({
  username: z.string().trim().min(1, 'Enter a username.').max(128),
  password: z.string().min(10, 'Use at least 10 characters.').max(200),
});
export const loginBody = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(128),
  password: z.string().min(1, 'Enter your password.').max(200),
});
export const apiKeyBody = z.object({ name: z.string().trim().min(1, 'Name the key, e.g. "OpenCart admin".').max(100) });
