// A whole tool loop through the gateway with the official OpenAI Node SDK (the `openai` npm
// package): the model calls a tool, the tool's result goes back, the model answers with it; once
// whole and once streamed. Run by .ci/sdk-tool-loop.sh against a started sample app on its
// simulated providers, whose `chat` policy falls back from a flaky OpenAI-format primary to an
// Anthropic-format model. Exits non-zero when the loop breaks.
//
//   GATEWAY_URL=http://127.0.0.1:8080/v1 node tool-loop.mjs
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const client = new OpenAI({
	baseURL: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080/v1',
	apiKey: process.env.GATEWAY_KEY ?? 'no-key-needed-on-loopback',
	maxRetries: 2,
});
const model = process.env.GATEWAY_MODEL ?? 'chat';
const tools = [{
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'The weather in a city',
		parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	},
}];
const question = { role: 'user', content: 'What is the weather in Paris?' };

async function whole() {
	const first = await client.chat.completions.create({ model, messages: [question], tools });
	const choice = first.choices[0];
	assert.equal(choice.finish_reason, 'tool_calls', 'the first answer calls a tool');
	const call = choice.message.tool_calls?.[0];
	assert.ok(call, 'message.tool_calls[0]');
	assert.equal(call.type, 'function');
	assert.equal(call.function.name, 'get_weather');
	assert.equal(typeof JSON.parse(call.function.arguments).city, 'string', 'arguments follow the schema');
	const final = await client.chat.completions.create({
		model, tools,
		messages: [question, choice.message, { role: 'tool', tool_call_id: call.id, content: '21 degrees, sunny' }],
	});
	assert.equal(final.choices[0].finish_reason, 'stop');
	assert.match(final.choices[0].message.content ?? '', /21 degrees/, 'the final answer uses the result');
	console.log(`whole: ${call.function.name}(${call.function.arguments}) -> ${final.choices[0].message.content}`);
}

async function streamed() {
	const stream = await client.chat.completions.create({ model, messages: [question], tools, stream: true,
		stream_options: { include_usage: true } });
	const calls = [];
	let finish = null;
	let role = null;
	let usage = null;
	for await (const chunk of stream) {
		usage = chunk.usage ?? usage;
		for (const choice of chunk.choices) {
			role = role ?? choice.delta.role ?? null;
			for (const delta of choice.delta.tool_calls ?? []) {
				const call = calls[delta.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
				call.id ||= delta.id ?? '';
				call.function.name += delta.function?.name ?? '';
				call.function.arguments += delta.function?.arguments ?? '';
			}
			finish = choice.finish_reason ?? finish;
		}
	}
	assert.equal(role, 'assistant', 'the first delta says the assistant speaks');
	assert.equal(finish, 'tool_calls');
	assert.equal(calls.length, 1);
	assert.ok(calls[0].id, 'the streamed call has an id');
	assert.equal(calls[0].function.name, 'get_weather');
	JSON.parse(calls[0].function.arguments);
	assert.ok(usage, 'include_usage brings a usage chunk');
	const final = await client.chat.completions.create({
		model, tools, stream: true,
		messages: [question, { role: 'assistant', content: null, tool_calls: calls },
			{ role: 'tool', tool_call_id: calls[0].id, content: '21 degrees, sunny' }],
	});
	let text = '';
	for await (const chunk of final) {
		text += chunk.choices[0]?.delta?.content ?? '';
	}
	assert.match(text, /21 degrees/, 'the streamed final answer uses the result');
	console.log(`streamed: ${calls[0].function.name}(${calls[0].function.arguments}) -> ${text}`);
}

try {
	await whole();
	await streamed();
	console.log('tool loop through the gateway: OK');
}
catch (failure) {
	console.error('tool loop through the gateway FAILED:', failure);
	process.exit(1);
}
