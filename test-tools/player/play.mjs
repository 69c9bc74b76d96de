#!/usr/bin/env node
// play.mjs: plays an HLS (.m3u8) or DASH (.mpd) URL with hls.js or Shaka Player in headless Chromium
// and prints ONE JSON line saying whether playback really advanced.
//
//   node play.mjs --url http://127.0.0.1:8080/news/master.m3u8 [--player hls|shaka] [--seconds 8]
//
// Exit status: 0 = played, 1 = the playback check failed, 2 = usage or harness error.
// The last stdout line is always the JSON verdict; diagnostics go to stderr.
// See README.md for every option and field.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const POLL_MS = 250;
const FATAL_GRACE_MS = 500; // let the page record what follows a fatal error before stopping

const USAGE = `usage: node play.mjs --url URL [options]
  --player hls|shaka   player library (default: shaka for .mpd, hls otherwise)
  --seconds N          media seconds that must really be played (default 8)
  --max-gap-ms N       largest allowed media-time step between two presented frames (default 500; 0 = off)
  --stall N            fail when playback makes no progress for N wall seconds, startup included (default 15)
  --timeout N          hard limit in wall seconds for the whole run (default 2*seconds + 30)
  --clearkey KID:KEY   ClearKey pair, 32 hex digits each (repeatable)
  --license-url URL    W3C ClearKey licence server the player asks for keys (instead of --clearkey)
  --low-latency        hls.js with lowLatencyMode: true; reports the distance to the live edge (latency)
  --chromium PATH      browser binary (default $CHROMIUM_PATH or /usr/bin/chromium)
  --verbose            echo the browser console to stderr`;

// ------------------------------------------------------------------ options
function parseOptions(argv) {
  const options = {
    url: null, player: null, seconds: 8, maxGapMs: 500, stallSeconds: 15, timeoutSeconds: null,
    clearKeys: {}, licenseUrl: null, lowLatency: false, chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium', verbose: false,
  };
  const value = (i) => {
    if (i + 1 >= argv.length) usageError(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  const number = (i) => {
    const n = Number(value(i));
    if (!Number.isFinite(n) || n < 0) usageError(`${argv[i]} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--url': options.url = value(i++); break;
      case '--player': options.player = value(i++); break;
      case '--seconds': options.seconds = number(i++); break;
      case '--max-gap-ms': options.maxGapMs = number(i++); break;
      case '--stall': options.stallSeconds = number(i++); break;
      case '--timeout': options.timeoutSeconds = number(i++); break;
      case '--chromium': options.chromium = value(i++); break;
      case '--clearkey': {
        const match = /^([0-9a-f]{32}):([0-9a-f]{32})$/i.exec(value(i++).replace(/-/g, ''));
        if (!match) usageError('--clearkey wants KID:KEY, 32 hex digits each');
        options.clearKeys[match[1].toLowerCase()] = match[2].toLowerCase();
        break;
      }
      case '--license-url': options.licenseUrl = value(i++); break;
      case '--verbose': options.verbose = true; break;
      case '--low-latency': options.lowLatency = true; break;
      case '-h': case '--help': console.error(USAGE); process.exit(0); break;
      default: usageError(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.url) usageError('--url is required');
  let parsed;
  try { parsed = new URL(options.url); } catch { usageError(`not a URL: ${options.url}`); }
  options.player ??= parsed.pathname.toLowerCase().endsWith('.mpd') ? 'shaka' : 'hls';
  if (options.player !== 'hls' && options.player !== 'shaka') usageError('--player must be hls or shaka');
  if (!(options.seconds > 0)) usageError('--seconds must be > 0');
  options.timeoutSeconds ??= options.seconds * 2 + 30;
  return options;
}

function usageError(message) {
  console.error(`play.mjs: ${message}\n${USAGE}`);
  console.log(JSON.stringify({ ok: false, harnessError: true, reasons: [`usage: ${message}`] }));
  process.exit(2);
}

// ------------------------------------------------------------------ page server
// Serves the page, the chosen player library and a ClearKey licence endpoint on 127.0.0.1.
function startPageServer(options, counters) {
  const files = {
    '/': ['text/html', path.join(HERE, 'player.html')],
    '/player-page.js': ['text/javascript', path.join(HERE, 'player-page.js')],
    '/lib/player.js': ['text/javascript',
      options.player === 'shaka' ? require.resolve('shaka-player') : require.resolve('hls.js')],
  };
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://page');
    if (pathname === '/clearkey' && request.method === 'POST') {
      return answerClearKeyLicence(request, response, options, counters);
    }
    if (pathname === '/favicon.ico') return reply(response, 204, 'text/plain', '');
    const file = files[pathname];
    if (!file) return reply(response, 404, 'text/plain', 'not found');
    reply(response, 200, file[0], fs.readFileSync(file[1]));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function reply(response, status, contentType, body) {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

// W3C Encrypted Media Extensions §9.1.3/§9.1.4: the request is {"kids":[b64url...]}, the answer a JWK set.
function answerClearKeyLicence(request, response, options, counters) {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    counters.licenceRequests++;
    let kids = [];
    try { kids = JSON.parse(Buffer.concat(chunks).toString('utf8')).kids || []; } catch { /* no keys then */ }
    const keys = [];
    for (const kid of kids) {
      const key = options.clearKeys[Buffer.from(kid, 'base64url').toString('hex')];
      if (key) keys.push({ kty: 'oct', kid, k: Buffer.from(key, 'hex').toString('base64url') });
    }
    reply(response, 200, 'application/json', JSON.stringify({ keys, type: 'temporary' }));
  });
}

// ------------------------------------------------------------------ browser
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

async function watchPlayback(context, origin, options, log) {
  const page = context.pages()[0] || await context.newPage();
  page.on('response', (r) => { if (r.status() >= 400) log.http.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => log.http.push(`${r.failure()?.errorText ?? 'failed'} ${r.url()}`));
  page.on('pageerror', (e) => log.console.push(`pageerror: ${e.message}`.slice(0, 300)));
  page.on('console', (m) => {
    if (options.verbose) console.error(`[console.${m.type()}] ${m.text()}`);
    if (m.type() === 'error') log.console.push(m.text().slice(0, 300));
  });
  // Chromium's media pipeline log (chrome://media-internals): demuxer, decoder and CDM complaints.
  const cdp = await context.newCDPSession(page);
  cdp.on('Media.playerMessagesLogged', ({ messages }) => {
    for (const m of messages) if (m.level === 'error') log.media.push(m.message.slice(0, 300));
  });
  cdp.on('Media.playerErrorsRaised', ({ errors }) => {
    for (const e of errors) log.media.push(`${e.errorType} ${e.code}`);
  });
  await cdp.send('Media.enable');
  await page.goto(`${origin}/`);

  const hasKeys = Object.keys(options.clearKeys).length > 0;
  const config = {
    player: options.player,
    url: options.url,
    clearKeys: options.player === 'shaka' && hasKeys ? options.clearKeys : null,
    licenseUrl: options.licenseUrl ?? (options.player === 'hls' && hasKeys ? `${origin}/clearkey` : null),
    lowLatency: options.lowLatency,
  };
  await page.evaluate((c) => window.startPlayback(c), config);

  const reasons = [];
  let snapshot;
  let lastPlayed = 0;
  let lastProgressAt = Date.now();
  let fatalSeenAt = null;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    snapshot = await page.evaluate(() => window.snapshot());
    // distance to the live edge, once playback has settled (the first 4 s include startup and catch-up)
    if (snapshot.playedSeconds > 4 && typeof snapshot.live?.latency === 'number') {
      log.latencies.push(snapshot.live.latency);
    }
    if (snapshot.playedSeconds > lastPlayed + 0.01) {
      lastPlayed = snapshot.playedSeconds;
      lastProgressAt = Date.now();
    }
    if (snapshot.playedSeconds >= options.seconds) break;
    if (snapshot.errors.some((e) => e.fatal)) {
      fatalSeenAt ??= Date.now();
      if (Date.now() - fatalSeenAt >= FATAL_GRACE_MS) break;
    }
    if (snapshot.ended) {
      reasons.push(`stream ended after ${snapshot.playedSeconds.toFixed(2)} s`);
      break;
    }
    if (Date.now() - lastProgressAt > options.stallSeconds * 1000) {
      reasons.push(`stalled: no progress for ${options.stallSeconds} s${snapshot.firstPlayingMs === null ? ' (never started)' : ''}`);
      break;
    }
    if (Date.now() > log.deadline) {
      reasons.push(`timeout after ${options.timeoutSeconds} s`);
      break;
    }
  }
  return { snapshot, reasons };
}

// ------------------------------------------------------------------ verdict
function verdict(options, snapshot, reasons, log, counters, harnessError) {
  const s = snapshot ?? { errors: [], frames: {}, eme: { keyStatuses: {} }, playedSeconds: 0 };
  const fatal = s.errors.find((e) => e.fatal);
  const fatalError = fatal ? [fatal.source, fatal.type, fatal.detail, fatal.message].filter(Boolean).join(' / ') : null;
  const all = [...reasons];
  if (s.playedSeconds < options.seconds) all.push(`played ${s.playedSeconds.toFixed(2)} of ${options.seconds} s`);
  if (fatalError) all.push(`fatal error: ${fatalError}`);
  if (!(s.decodedFrames > 0)) all.push('no video frame decoded');
  if (options.maxGapMs > 0 && s.frames.maxGapMs > options.maxGapMs) {
    all.push(`video froze or skipped: ${s.frames.maxGapMs} ms between presented frames at ${s.frames.maxGapAtSeconds} s`);
  }
  return {
    ok: all.length === 0 && !harnessError,
    player: options.player,
    playerVersion: s.playerVersion ?? null,
    url: options.url,
    playedSeconds: +s.playedSeconds.toFixed(3),
    rangePlayedSeconds: s.rangePlayedSeconds === undefined ? null : +s.rangePlayedSeconds.toFixed(3),
    requiredSeconds: options.seconds,
    frames: s.frames.presented ?? 0,
    missedFrameCallbacks: s.frames.missedCallbacks ?? 0,
    decodedFrames: s.decodedFrames ?? 0,
    droppedFrames: s.droppedFrames ?? 0,
    maxGapMs: s.frames.maxGapMs ?? null,
    maxGapAtSeconds: s.frames.maxGapAtSeconds ?? null,
    audioDecodedBytes: s.audioDecodedBytes ?? 0,
    videoSize: s.videoSize ?? null,
    levels: s.levels ?? 0,
    startupMs: s.firstPlayingMs ?? null,
    wallMs: Date.now() - log.startedAt,
    fatalError,
    harnessError,
    errors: s.errors.slice(0, 5),
    httpErrors: log.http.slice(0, 5),
    mediaLog: log.media.slice(0, 5),
    consoleErrors: log.console.slice(0, 5),
    eme: {
      keySystem: s.eme.keySystem ?? null, sessions: s.eme.sessions ?? 0, keyStatuses: s.eme.keyStatuses,
      licenceRequests: counters.licenceRequests,
    },
    live: liveSummary(s, log),
    reasons: all,
  };
}

// hls.js live-edge distance samples (seconds) taken while playing, after the first 4 s
function liveSummary(s, log) {
  const live = s.live || {};
  if (live.lowLatencyMode === undefined) return null; // not hls.js
  const samples = [...log.latencies].sort((a, b) => a - b);
  const round = (x) => (typeof x === 'number' ? +x.toFixed(3) : null);
  return {
    lowLatencyMode: live.lowLatencyMode,
    targetLatency: round(live.targetLatency),
    latencyLast: round(log.latencies[log.latencies.length - 1]),
    latencyMedian: round(samples[Math.floor(samples.length / 2)]),
    latencyMax: round(samples[samples.length - 1]),
    samples: samples.length,
  };
}

// ------------------------------------------------------------------ main
const options = parseOptions(process.argv.slice(2));
const log = { startedAt: Date.now(), deadline: Date.now() + options.timeoutSeconds * 1000, http: [], media: [], console: [], latencies: [] };
const counters = { licenceRequests: 0 };
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptv-player-'));
let server = null;
let context = null;
let finished = false;

async function closeAll() {
  // Each step is bounded: a wedged browser must not keep this process alive.
  const bounded = (promise) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, 5000))]);
  try { if (context) await bounded(context.close()); } catch { /* already gone */ }
  try { context?.browser()?.process?.()?.kill('SIGKILL'); } catch { /* not ours to kill */ }
  try { server?.close(); } catch { /* already closed */ }
  fs.rmSync(profileDir, { recursive: true, force: true });
}

async function finish(result, exitCode) {
  if (finished) return;
  finished = true;
  const closing = Date.now();
  await closeAll();
  console.error(`play.mjs: browser closed in ${Date.now() - closing} ms`);
  console.log(JSON.stringify(result));
  process.exit(exitCode);
}

// Hard stop: whatever hangs (browser launch, a page call), the process ends a little after the deadline.
setTimeout(() => {
  finish(verdict(options, null, [`hard timeout after ${options.timeoutSeconds} s`], log, counters, true), 2);
}, options.timeoutSeconds * 1000 + 5000).unref();
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => finish(verdict(options, null, [`killed by ${signal}`], log, counters, true), 2));
}

try {
  server = await startPageServer(options, counters);
  const origin = `http://127.0.0.1:${server.address().port}`;
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: options.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 640, height: 360 },
    timeout: Math.max(10000, log.deadline - Date.now()),
  });
  const { snapshot, reasons } = await watchPlayback(context, origin, options, log);
  const result = verdict(options, snapshot, reasons, log, counters, false);
  await finish(result, result.ok ? 0 : 1);
} catch (e) {
  console.error(e);
  await finish(verdict(options, null, [`harness error: ${String(e.message).split('\n')[0]}`], log, counters, true), 2);
}
