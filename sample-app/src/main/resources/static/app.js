// The live page: streams an answer from POST /chat/stream (Server-Sent Events read from fetch,
// since EventSource cannot POST), shows the request's attempts and hops, and polls every model's
// state from the health endpoint.
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

async function refreshModels() {
  try {
    const health = await (await fetch('/actuator/health/llm')).json();
    const body = $('models').querySelector('tbody');
    body.replaceChildren();
    const children = health.components || {};
    Object.keys(children).forEach((name) => {
      const details = children[name].details || {};
      if (details.chain) return; // a policy, not a model
      const row = document.createElement('tr');
      row.dataset.model = name;
      cell(row, name);
      cell(row, children[name].status, 'state-' + children[name].status);
      cell(row, details.lastError);
      cell(row, details.cooldownUntil);
      body.appendChild(row);
    });
  } catch (ignored) {
    // Health may be unavailable (actuator off); the page still works without it.
  }
}

$('ask').addEventListener('submit', ask);
loadPolicies();
refreshModels();
setInterval(refreshModels, 2000);
