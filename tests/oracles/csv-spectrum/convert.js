#!/usr/bin/env node
// Convert the csv-spectrum JSON expectations into the dump format that
// build/tests/spectrum-dump prints, so the test compares bytes and needs no node.
// Run once at vendoring time, from the repository root:
//   node tests/oracles/csv-spectrum/convert.js
// It writes testdata/csv-spectrum/expected/NAME.expected for every json/NAME.json.
//
// Dump format (shared with tests/spectrum-dump.c): the header names as the first
// record, then every record; one field per line, C-escaped (\n \r \t \\ \" and
// other control bytes as three-digit octal), a blank line after each record.
// The header is the key order of the first object; a JSON file holding a single
// object rather than an array (location_coordinates) is taken as one record.
'use strict';
const fs = require('fs');
const path = require('path');

const top = path.join(__dirname, '..', '..', '..');
const dir = path.join(top, 'testdata', 'csv-spectrum');

function escape(s) {
	let out = '';
	for (const ch of s) {
		const c = ch.codePointAt(0);
		if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch === '\\') out += '\\\\';
		else if (ch === '"') out += '\\"';
		else if (c < 0x20 || c === 0x7f) out += '\\' + c.toString(8).padStart(3, '0');
		else out += ch;
	}
	return out;
}

function record(fields) {
	return fields.map((f) => escape(String(f)) + '\n').join('') + '\n';
}

for (const f of fs.readdirSync(path.join(dir, 'json')).sort()) {
	if (!f.endsWith('.json')) continue;
	let rows = JSON.parse(fs.readFileSync(path.join(dir, 'json', f), 'utf8'));
	if (!Array.isArray(rows)) rows = [rows];
	if (rows.length === 0) throw new Error(f + ': no rows, so no header');
	const keys = Object.keys(rows[0]);
	let text = record(keys);
	for (const r of rows) {
		const k = Object.keys(r);
		if (k.join('\0') !== keys.join('\0')) throw new Error(f + ': keys differ between rows');
		text += record(keys.map((key) => r[key]));
	}
	const name = path.basename(f, '.json');
	fs.writeFileSync(path.join(dir, 'expected', name + '.expected'), text);
}
