/**
 * `npm start`: reads config, opens storage and listens.
 */
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}
const app = createApp();
const server = app.listen(port, () => {
  console.log(`Purna API listening on http://localhost:${port} (health: /healthz)`);
});
process.once('SIGTERM', () => server.close());
process.once('SIGINT', () => server.close());
