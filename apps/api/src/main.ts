import { ConfigError } from './config/app-config';
import { StartupError } from './common/startup-error';
import { createApp } from './bootstrap';

/** `npm start`: boots the API; a wrong configuration ends the process with the reason and how to fix it. */
async function main(): Promise<void> {
  try {
    const { app, config } = await createApp(process.env);
    await app.listen(config.port);
    app.getHttpServer();
    process.stdout.write(`oc-xero api listening on ${config.publicBaseUrl} (port ${config.port})\n`);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StartupError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
}

void main();
