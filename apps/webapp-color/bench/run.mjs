// `pnpm bench`: the built app (request logging on, logs to /dev/null) against
// a bare node:http server sending the same bytes, loaded alternately with
// autocannon on loopback. Prints req/s, p99, peak RSS, the app/bare ratio and
// the cold start to the first healthy answer. Bounded: about a minute.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { webappColor } from '@webapp-color/deploy-specs/definition';

const serverScript = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const bareScript = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const healthPath = webappColor.container.healthCheckPath;

const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COLD_STARTS = 5;
const TARGETS = { ratio: 0.8, p99Ms: 5, peakRssMb: 100 };
// Headers node writes itself; the bare server gets them from node too.
const NODE_OWN_HEADERS = new Set(['date', 'connection', 'keep-alive']);

const devNull = openSync('/dev/null', 'w');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          statusCode: res.statusCode,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.setTimeout(2_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

async function waitFor200(port, path, deadlineMs) {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    try {
      if ((await get(port, path)).statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  throw new Error(`no 200 on ${path} within ${deadlineMs} ms`);
}

async function startApp() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [serverScript, '--color', 'blue'], {
    env: { ...process.env, PORT: String(port), APP_VERSION: 'bench', NODE_ENV: 'production' },
    stdio: ['ignore', devNull, 'inherit'],
  });
  await waitFor200(port, healthPath, 5_000);
  return { child, port, coldStartMs: performance.now() - started };
}

async function startBare(response) {
  const port = await freePort();
  const child = spawn(process.execPath, [bareScript], {
    env: { ...process.env, PORT: String(port), BARE_RESPONSE: response },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { child, port };
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** VmHWM: the peak resident set size of the process so far, in MB. */
function peakRssMb(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) the process has used so far, in ms (clock ticks are 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function load(port, seconds) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

function headerPairs(rawHeaders) {
  const pairs = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!NODE_OWN_HEADERS.has(rawHeaders[i].toLowerCase()))
      pairs.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return pairs;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  // Cold start: spawn to the first 200 on the health route, several times.
  const coldStarts = [];
  for (let i = 0; i < COLD_STARTS - 1; i += 1) {
    const { child, coldStartMs } = await startApp();
    coldStarts.push(coldStartMs);
    await stop(child);
  }
  const app = await startApp();
  coldStarts.push(app.coldStartMs);

  const page = await get(app.port, '/');
  const appHeaders = headerPairs(page.rawHeaders);
  const keepAlive = /timeout=(\d+)/.exec(page.rawHeaders.join('\n'));
  const bareResponse = Buffer.from(
    JSON.stringify({
      statusCode: page.statusCode,
      headers: appHeaders,
      body: page.body.toString('base64'),
      keepAliveTimeout: keepAlive ? Number(keepAlive[1]) * 1000 : 5_000,
    }),
  ).toString('base64');
  const bare = await startBare(bareResponse);

  const barePage = await get(bare.port, '/');
  const sameBytes =
    barePage.body.equals(page.body) &&
    JSON.stringify(headerPairs(barePage.rawHeaders)) === JSON.stringify(appHeaders) &&
    JSON.stringify(barePage.rawHeaders.filter((_, i) => i % 2 === 0)) ===
      JSON.stringify(page.rawHeaders.filter((_, i) => i % 2 === 0));
  if (!sameBytes) throw new Error('the bare server does not send the same response as the app');

  const servers = { app, bare };
  const results = { app: [], bare: [] };
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, ${CONNECTIONS} connections, ` +
      `${ROUNDS} alternating rounds of ${ROUND_SECONDS} s after ${WARMUP_SECONDS} s warm-up each`,
  );
  for (const name of ['app', 'bare']) await load(servers[name].port, WARMUP_SECONDS);
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const name of round % 2 === 1 ? ['app', 'bare'] : ['bare', 'app']) {
      const cpuBefore = cpuMs(servers[name].child.pid);
      const result = await load(servers[name].port, ROUND_SECONDS);
      result.cpuUsPerRequest =
        ((cpuMs(servers[name].child.pid) - cpuBefore) * 1000) / result.requests.total;
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
        throw new Error(
          `${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
        );
      }
      results[name].push(result);
      console.log(
        `round ${round} ${name.padEnd(4)} ${result.requests.average.toFixed(0).padStart(7)} req/s  ` +
          `p99 ${result.latency.p99} ms  server CPU ${result.cpuUsPerRequest.toFixed(1)} µs/req`,
      );
    }
  }

  const summary = {};
  for (const name of ['app', 'bare']) {
    const rounds = results[name];
    summary[name] = {
      reqPerSec: rounds.reduce((sum, r) => sum + r.requests.average, 0) / rounds.length,
      p99Ms: Math.max(...rounds.map((r) => r.latency.p99)),
      peakRssMb: peakRssMb(servers[name].child.pid),
      cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
    };
  }
  await Promise.all([stop(app.child), stop(bare.child)]);

  // The machine may be shared: each round's pair (run back to back) gives one
  // ratio, and the median of those is less sensitive to a noisy neighbour.
  const pairRatios = results.app.map(
    (result, i) => result.requests.average / results.bare[i].requests.average,
  );
  const ratio = median(pairRatios);
  const ratioOfMeans = summary.app.reqPerSec / summary.bare.reqPerSec;
  // Server CPU per request barely depends on what else the machine runs: its
  // inverse ratio is what the throughput ratio would be with a core to spare.
  const cpuRatio = summary.bare.cpuUsPerRequest / summary.app.cpuUsPerRequest;
  const coldStartMs = median(coldStarts);
  const verdict = (ok) => (ok ? 'ok' : 'MISSED');
  const row = (name) =>
    `| ${name} | ${summary[name].reqPerSec.toFixed(0)} | ${summary[name].p99Ms} | ${summary[name].peakRssMb.toFixed(1)} | ${summary[name].cpuUsPerRequest.toFixed(1)} |`;
  console.log(`
| server | req/s (mean) | p99 latency ms (worst round) | peak RSS MB | server CPU µs/req (median) |
| --- | ---: | ---: | ---: | ---: |
${row('app')}
${row('bare')}

app/bare ratio: ${ratio.toFixed(3)} (median of per-round pairs ${pairRatios.map((r) => r.toFixed(2)).join(', ')}; ratio of means ${ratioOfMeans.toFixed(3)}; target >= ${TARGETS.ratio}: ${verdict(ratio >= TARGETS.ratio)})
CPU-cost ratio bare/app: ${cpuRatio.toFixed(3)} (same work per request; a noise-robust cross-check)
app p99: ${summary.app.p99Ms} ms (target <= ${TARGETS.p99Ms}: ${verdict(summary.app.p99Ms <= TARGETS.p99Ms)})
app peak RSS: ${summary.app.peakRssMb.toFixed(1)} MB (target <= ${TARGETS.peakRssMb}: ${verdict(summary.app.peakRssMb <= TARGETS.peakRssMb)})
cold start to first 200 on ${healthPath}: ${coldStartMs.toFixed(0)} ms (median of ${COLD_STARTS}; all: ${coldStarts.map((ms) => ms.toFixed(0)).join(', ')})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
