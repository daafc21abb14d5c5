// Rewrites the OpenAPI 3.0 leftovers of the official OpenAI spec that validators refuse:
// a schema with "nullable: true" but no "type" becomes anyOf [<schema>, {type: null}]
// ({} when "nullable" was all it had). The spec in shared/specs stays untouched; the fixed
// copy is written as JSON (valid YAML too) next to the installed Prism.
// Usage: node fix-openai-spec.js <spec.yaml> <out.json>
'use strict';
const fs = require('fs');
const path = require('path');
const [spec, out] = process.argv.slice(2);
const yaml = require(path.resolve(path.dirname(out), 'node_modules', 'js-yaml'));

let fixed = 0;
function fix(node) {
	if (Array.isArray(node)) {
		return node.map(fix);
	}
	if (node === null || typeof node !== 'object') {
		return node;
	}
	const result = {};
	for (const [key, value] of Object.entries(node)) {
		result[key] = fix(value);
	}
	if (result.nullable === true && result.type === undefined) {
		delete result.nullable;
		fixed++;
		return (Object.keys(result).length === 0) ? {} : { anyOf: [result, { type: 'null' }] };
	}
	return result;
}

const document = fix(yaml.load(fs.readFileSync(spec, 'utf8')));
fs.writeFileSync(out, JSON.stringify(document));
console.log(`fixed ${fixed} nullable schemas without a type -> ${out}`);
