// Entry point of the container: PORT (default 8080) and APP_VERSION (the image's commit) from the task's environment.
import { createService } from './server';

const port = Number(process.env['PORT'] ?? 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT: must be a port 1-65535, got ${JSON.stringify(process.env['PORT'])}`);
  process.exit(64);
}
const server = createService({ version: process.env['APP_VERSION'] ?? 'unknown' });
server.listen(port, () => console.log(JSON.stringify({ msg: 'listening', port })));
// ECS stops a task with SIGTERM after the load balancer has drained it: finish what is in flight, then exit.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
