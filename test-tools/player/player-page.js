// Runs inside Chromium (loaded by player.html before the player library).
// window.startPlayback(config) starts hls.js or Shaka on the <video>; window.snapshot() returns the
// state play.mjs polls. Everything a check needs is measured on the page itself:
//   - played media time:   media time shown frame by frame (capped by the sum of video.played ranges)
//   - presented frames:    requestVideoFrameCallback; the largest media-time step between two
//                          consecutive presented frames reveals a frozen or skipped picture even when
//                          the player papers over a hole and audio plays on
//   - errors:              player errors (fatal or not) and MediaError on the element
//   - EME:                 the standard API is wrapped before any player code runs
'use strict';
(() => {
  const state = {
    startedAtMs: null,
    firstPlayingMs: null,
    errors: [],
    events: {},
    frames: { presented: 0, presentedSeconds: 0, missedCallbacks: 0, maxGapMs: 0, maxGapAtSeconds: null },
    playerName: null,
    playerVersion: null,
    levels: 0,
    eme: { keySystem: null, sessions: 0, keyStatuses: {}, failures: [] },
  };
  const elapsedMs = () => Math.round(performance.now());
  const addError = (error) => {
    if (state.errors.length < 50) state.errors.push({ atMs: elapsedMs(), ...error });
  };
  const toHex = (buffer) => Array.from(
    new Uint8Array(ArrayBuffer.isView(buffer) ? buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) : buffer),
    (b) => b.toString(16).padStart(2, '0')).join('');

  // ---- EME observation (player independent)
  if (window.MediaKeys) {
    const patch = (proto, name, around) => {
      const original = proto[name];
      proto[name] = function (...args) { return around.call(this, original, args); };
    };
    patch(MediaKeySystemAccess.prototype, 'createMediaKeys', function (original, args) {
      state.eme.keySystem = this.keySystem;
      return original.apply(this, args);
    });
    patch(MediaKeys.prototype, 'createSession', function (original, args) {
      const session = original.apply(this, args);
      state.eme.sessions++;
      session.addEventListener('keystatuseschange', () => {
        session.keyStatuses.forEach((status, kid) => { state.eme.keyStatuses[toHex(kid)] = status; });
      });
      return session;
    });
    patch(MediaKeySession.prototype, 'update', function (original, args) {
      return original.apply(this, args).catch((e) => { state.eme.failures.push(`update: ${e.message}`); throw e; });
    });
  }

  const video = document.getElementById('video');
  let liveState = () => ({});

  function watchVideo() {
    for (const name of ['playing', 'waiting', 'waitingforkey', 'stalled', 'seeking', 'ended']) {
      video.addEventListener(name, () => { state.events[name] = (state.events[name] || 0) + 1; });
    }
    video.addEventListener('playing', () => { state.firstPlayingMs ??= elapsedMs() - state.startedAtMs; });
    video.addEventListener('error', () => addError({
      source: 'video', fatal: true, detail: `MediaError ${video.error && video.error.code}`,
      message: video.error && video.error.message,
    }));
    // A step is measured between consecutive callbacks. When the page was too busy to run a callback,
    // metadata.presentedFrames jumps by more than one: those frames WERE shown, so their nominal duration
    // is taken off the step (a measurement artefact must not look like a frozen picture).
    let last = null;
    let frameDuration = null; // smallest step seen between two directly consecutive frames
    const onFrame = (_now, metadata) => {
      const f = state.frames;
      if (last !== null) {
        const step = metadata.mediaTime - last.mediaTime;
        const presented = metadata.presentedFrames - last.presentedFrames;
        // Media time really shown: forward steps between presented frames. A step over 2 s is a jump (a seek,
        // a player skipping to the live edge), not playback, and does not count.
        if (step > 0 && step <= 2) f.presentedSeconds += step;
        if (presented === 1 && step > 0) frameDuration = Math.min(frameDuration ?? step, step);
        if (presented > 1) f.missedCallbacks += presented - 1;
        const missed = Math.max(0, presented - 1);
        const gap = missed === 0 ? step : frameDuration !== null ? step - missed * frameDuration : step / presented;
        const gapMs = Math.round(gap * 1000);
        if (gapMs > f.maxGapMs) { f.maxGapMs = gapMs; f.maxGapAtSeconds = +last.mediaTime.toFixed(3); }
      }
      last = { mediaTime: metadata.mediaTime, presentedFrames: metadata.presentedFrames };
      f.presented++;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  function play() {
    video.play().catch((e) => {
      if (e.name !== 'AbortError') addError({ source: 'video.play', fatal: false, detail: e.name, message: e.message });
    });
  }

  function startHlsJs(config) {
    const Hls = window.Hls;
    state.playerName = 'hls.js';
    state.playerVersion = Hls.version;
    if (!Hls.isSupported()) return addError({ source: 'hls.js', fatal: true, detail: 'Hls.isSupported() is false' });
    const options = config.licenseUrl
      ? { emeEnabled: true, drmSystems: { 'org.w3.clearkey': { licenseUrl: config.licenseUrl } } }
      : {};
    if (config.lowLatency) {
      options.lowLatencyMode = true; // LL-HLS: parts, blocking reload, delta updates
      options.maxLiveSyncPlaybackRate = 1.5; // catch up to the target latency after a slow start, as LL players do
    }
    const hls = new Hls(options);
    liveState = () => ({
      // hls.latency: live edge (playlist end + time since it was loaded) minus currentTime, seconds
      latency: Number.isFinite(hls.latency) ? hls.latency : null,
      targetLatency: Number.isFinite(hls.targetLatency) ? hls.targetLatency : null,
      liveSyncPosition: Number.isFinite(hls.liveSyncPosition) ? hls.liveSyncPosition : null,
      lowLatencyMode: !!hls.lowLatencyMode,
    });
    hls.on(Hls.Events.ERROR, (_event, data) => addError({
      source: 'hls.js', fatal: !!data.fatal, type: data.type, detail: data.details,
      message: (data.error && data.error.message) || data.reason,
      url: (data.frag && data.frag.url) || data.url, httpStatus: data.response && data.response.code,
    }));
    hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => { state.levels = data.levels.length; play(); });
    hls.loadSource(config.url);
    hls.attachMedia(video);
  }

  async function startShaka(config) {
    const shaka = window.shaka;
    state.playerName = 'shaka-player';
    state.playerVersion = shaka.Player.version;
    shaka.polyfill.installAll();
    if (!shaka.Player.isBrowserSupported()) return addError({ source: 'shaka', fatal: true, detail: 'isBrowserSupported() is false' });
    const ShakaError = shaka.util.Error;
    const codeNames = Object.fromEntries(Object.entries(ShakaError.Code).map(([name, code]) => [code, name]));
    const describe = (e, fatal) => (e instanceof ShakaError
      ? { source: 'shaka', fatal: fatal || e.severity === ShakaError.Severity.CRITICAL, detail: `${codeNames[e.code]} (${e.code})`,
        message: JSON.stringify(e.data || []).slice(0, 200) }
      : { source: 'shaka', fatal: true, detail: (e && e.name) || 'exception', message: String((e && e.message) || e).slice(0, 300) });
    const player = new shaka.Player();
    await player.attach(video);
    player.addEventListener('error', (event) => addError(describe(event.detail, false)));
    const drm = {};
    if (config.clearKeys) drm.clearKeys = config.clearKeys;
    if (config.licenseUrl && !config.clearKeys) drm.servers = { 'org.w3.clearkey': config.licenseUrl };
    player.configure({ drm });
    try {
      await player.load(config.url);
    } catch (e) {
      return addError(describe(e, true));
    }
    state.levels = player.getVariantTracks().length;
    play();
  }

  window.startPlayback = (config) => {
    state.startedAtMs = elapsedMs();
    watchVideo();
    const start = config.player === 'shaka' ? startShaka : startHlsJs;
    Promise.resolve().then(() => start(config)).catch((e) => addError({
      source: config.player, fatal: true, detail: 'exception', message: String((e && e.message) || e),
    }));
  };

  window.snapshot = () => {
    let played = 0;
    for (let i = 0; i < video.played.length; i++) played += video.played.end(i) - video.played.start(i);
    const quality = video.getVideoPlaybackQuality();
    // video.played can count media time the player skipped over (seen: Shaka joining a live DASH stream reported
    // 30 s played after 16 s of wall time): with video, only media time shown frame by frame counts.
    const shown = Math.min(played, state.frames.presentedSeconds);
    return {
      ...state,
      rangePlayedSeconds: played,
      playedSeconds: shown,
      currentTime: video.currentTime,
      ended: video.ended,
      videoSize: video.videoWidth ? `${video.videoWidth}x${video.videoHeight}` : null,
      decodedFrames: quality.totalVideoFrames,
      droppedFrames: quality.droppedVideoFrames,
      audioDecodedBytes: video.webkitAudioDecodedByteCount,
      live: liveState(),
    };
  };
})();
