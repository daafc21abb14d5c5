// The live page: streams an answer from POST /chat/stream (Server-Sent Events read from fetch,
// since EventSource cannot POST), shows the request's attempts and hops, and polls the fallbacks
// actuator endpoint for every model's recent outcomes, cooldowns and the hops between models.
'use strict';

const $ = (id) => document.getElementById(id);

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = (text === null || text === undefined) ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
}

// An ISO-8601 duration such as PT0.18S, shown in milliseconds.
function millis(duration) {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(duration || '');
  if (!match) return duration || '';
  const seconds = (+(match[1] || 0)) * 3600 + (+(match[2] || 0)) * 60 + (+(match[3] || 0));
  return Math.round(seconds * 1000) + ' ms';
}

function showAttempts(attempts, fallbacks, servedBy) {
  const body = $('attempts').querySelector('tbody');
  body.replaceChildren();
  (attempts || []).forEach((attempt, index) => {
    const row = document.createElement('tr');
    row.dataset.outcome = attempt.outcome;
    cell(row, index + 1);
    cell(row, attempt.model);
    cell(row, attempt.provider);
    cell(row, attempt.kind);
    const outcome = attempt.skipReason ? 'skipped (' + attempt.skipReason + ')' : attempt.outcome;
    const kind = attempt.outcome === 'success' ? 'success' : (attempt.outcome === 'skipped' ? 'skipped' : 'failure');
    cell(row, outcome, 'outcome-' + kind);
    cell(row, attempt.httpStatus);
    cell(row, attempt.skipReason ? '' : millis(attempt.duration));
    body.appendChild(row);
  });
  $('hops').textContent = (fallbacks === undefined) ? '' : fallbacks + (fallbacks === 1 ? ' hop' : ' hops');
  $('served').textContent = servedBy ? 'served by ' + servedBy : '';
}

// Splits an SSE byte stream into {event, data} records.
async function* serverSentEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

async function ask(event) {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  if (!prompt) return;
  $('send').disabled = true;
  $('answer').textContent = '';
  $('error').hidden = true;
  showAttempts([], undefined, null);
  try {
    const response = await fetch('/chat/stream', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ prompt, policy: $('policy').value || undefined }),
    });
    if (!response.ok) {
      const problem = await response.json();
      throw new Error(problem.detail || response.statusText);
    }
    for await (const message of serverSentEvents(response)) {
      if (message.event === 'chunk') {
        $('answer').textContent += message.data.delta;
      } else if (message.event === 'done') {
        showAttempts(message.data.attempts, message.data.fallbacks, message.data.servedBy);
      } else if (message.event === 'error') {
        showAttempts(message.data.attempts, undefined, null);
        throw new Error(message.data.category + ': ' + message.data.detail);
      }
    }
  } catch (failure) {
    $('error').textContent = failure.message;
    $('error').hidden = false;
  } finally {
    $('send').disabled = false;
    refreshModels();
  }
}

async function loadPolicies() {
  const models = await (await fetch('/v1/models')).json();
  const select = $('policy');
  models.data.filter((model) => model.owned_by === 'llm-fallback policy').forEach((policy) => {
    const option = document.createElement('option');
    option.value = policy.id;
    option.textContent = policy.id;
    select.appendChild(option);
  });
}

// The live panel: every model's recent outcomes and cooldown, and the hops, from the fallbacks
// actuator endpoint. Times are the server's: a countdown is cooldownUntil minus the server's "now",
// carried on by the browser's clock between polls.
const WINDOW_MS = 5 * 60 * 1000;
const STRIP_CELLS = 40; // the newest outcomes drawn per model; the tally under the strip counts them all
let serverOffsetMs = 0; // server clock minus browser clock, as of the last poll

function serverNow() {
  return Date.now() + serverOffsetMs;
}

function seconds(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return total >= 60 ? Math.floor(total / 60) + ' min ' + (total % 60) + ' s' : total + ' s';
}

function outcomeClass(outcome) {
  if (outcome === 'success') return 'ok';
  if (outcome === 'skipped') return 'skipped';
  if (outcome === 'rate_limit' || outcome === 'quota_exceeded') return 'throttled';
  return 'failed';
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function stateLabel(model) {
  if (!model) return ['IDLE', 'not in a chain'];
  if (!model.called) return ['IDLE', 'not called yet'];
  return {
    AVAILABLE: ['AVAILABLE', 'up'],
    COOLING_DOWN: ['COOLING_DOWN', 'cooling down'],
    HALF_OPEN: ['HALF_OPEN', 'half-open'],
  }[model.state] || [model.state, model.state.toLowerCase()];
}

// The text under a model's name: a countdown while it cools, what a half-open model waits for.
function cooldownText(node) {
  const until = node.dataset.until;
  if (!until) return;
  const left = Date.parse(until) - serverNow();
  const reason = node.dataset.reason ? ' after ' + node.dataset.reason : '';
  node.textContent = left > 0 ? 'cools for ' + seconds(left) + reason : 'cooldown over: the next call is a trial';
}

function tickCountdowns() {
  document.querySelectorAll('#models .cooldown[data-until]').forEach(cooldownText);
}

function modelCard(name, model, outcomes, now) {
  const card = element('div', 'model');
  card.dataset.model = name;
  const head = element('div', 'model-head');
  head.appendChild(element('span', 'model-name', name));
  if (model) head.appendChild(element('span', 'model-provider', model.provider));
  const [state, label] = stateLabel(model);
  head.appendChild(element('span', 'state state-' + state, label));
  card.dataset.state = state;
  card.appendChild(head);

  const cooldown = element('div', 'cooldown');
  if (model && model.state === 'COOLING_DOWN' && model.cooldownUntil) {
    cooldown.dataset.until = model.cooldownUntil;
    cooldown.dataset.reason = model.cooldownReason || '';
    cooldownText(cooldown);
  } else if (model && model.state === 'HALF_OPEN') {
    cooldown.classList.add('half-open');
    cooldown.textContent = 'half-open: the next call is a trial';
  }
  card.appendChild(cooldown);

  const recent = (outcomes || []).filter((o) => now - Date.parse(o.time) <= WINDOW_MS).reverse();
  const strip = element('div', 'strip');
  if (!recent.length) strip.appendChild(element('span', 'strip-empty', 'no calls in the last 5 min'));
  const tally = { ok: 0, throttled: 0, failed: 0, skipped: 0 };
  recent.forEach((o, index) => {
    const kind = outcomeClass(o.outcome);
    tally[kind]++;
    if (index < recent.length - STRIP_CELLS) return;
    const cell = element('span', 'outcome-cell ' + kind);
    cell.dataset.outcome = o.outcome;
    const what = o.skipReason ? 'skipped (' + o.skipReason + ')' : o.outcome;
    cell.title = what + (o.httpStatus ? ' · HTTP ' + o.httpStatus : '') + ' · ' + o.kind + ' · '
      + seconds(now - Date.parse(o.time)) + ' ago';
    strip.appendChild(cell);
  });
  card.appendChild(strip);
  if (recent.length) {
    const parts = [];
    if (tally.ok) parts.push(tally.ok + ' ok');
    if (tally.throttled) parts.push(tally.throttled + ' rate limited');
    if (tally.failed) parts.push(tally.failed + ' failed');
    if (tally.skipped) parts.push(tally.skipped + ' skipped');
    card.appendChild(element('div', 'tally', parts.join(' · ')));
  }
  return card;
}

function showHopCounts(hops, now) {
  const routes = new Map();
  (hops || []).filter((hop) => now - Date.parse(hop.time) <= WINDOW_MS).forEach((hop) => {
    const key = hop.from + '\u0000' + hop.to;
    const route = routes.get(key) || { from: hop.from, to: hop.to, count: 0, reasons: new Map() };
    route.count++;
    route.reasons.set(hop.reason, (route.reasons.get(hop.reason) || 0) + 1);
    routes.set(key, route);
  });
  const body = $('hop-counts').querySelector('tbody');
  body.replaceChildren();
  [...routes.values()].sort((a, b) => b.count - a.count).forEach((route) => {
    const row = document.createElement('tr');
    row.dataset.from = route.from;
    row.dataset.to = route.to;
    cell(row, route.from + ' → ' + route.to, 'hop-route');
    cell(row, route.count, 'hop-count');
    cell(row, [...route.reasons].map(([reason, count]) => reason + ' ×' + count).join(', '), 'hop-reasons');
    body.appendChild(row);
  });
  $('no-hops').hidden = routes.size > 0;
}

async function refreshModels() {
  let fallbacks;
  try {
    const response = await fetch('/actuator/fallbacks');
    if (!response.ok) throw new Error(response.statusText);
    fallbacks = await response.json();
  } catch (ignored) {
    $('endpoint-off').hidden = false; // actuator off or the endpoint not exposed: the rest still works
    return;
  }
  $('endpoint-off').hidden = true;
  serverOffsetMs = Date.parse(fallbacks.now) - Date.now();
  const now = Date.parse(fallbacks.now);
  const descriptors = {};
  Object.values(fallbacks.policies || {}).forEach((policy) => policy.models.forEach((model) => {
    descriptors[model.model] = descriptors[model.model] || model;
  }));
  const outcomes = fallbacks.recentOutcomes || {};
  const names = Object.keys(outcomes).length ? Object.keys(outcomes) : Object.keys(descriptors);
  $('models').replaceChildren(...names.map((name) => modelCard(name, descriptors[name], outcomes[name], now)));
  showHopCounts(fallbacks.recentHops, now);
}

$('ask').addEventListener('submit', ask);
loadPolicies();
refreshModels();
setInterval(refreshModels, 2000);
setInterval(tickCountdowns, 1000);
