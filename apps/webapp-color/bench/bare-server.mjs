// The baseline: a bare node:http server that answers every request with the
// exact status, headers and body the app sends for `GET /` (handed over by
// run.mjs in BARE_RESPONSE), so the ratio measures only the app's own work.
import { createServer } from 'node:http';

const { statusCode, headers, body, keepAliveTimeout } = JSON.parse(
  Buffer.from(process.env.BARE_RESPONSE ?? '', 'base64').toString('utf8'),
);
const bodyBytes = Buffer.from(body, 'base64');

const server = createServer((_req, res) => {
  res.writeHead(statusCode, headers);
  res.end(bodyBytes);
});
server.keepAliveTimeout = keepAliveTimeout;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('listening\n');
});
process.on('SIGTERM', () => process.exit(0));
