// kpi-targets.test.js: the programme's KPI targets are written once, in
// data/indicators/rates.csv. A province that loads other targets sees them
// in the KPI endpoints (and so on the dashboard), with the lights computed
// against them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DATA, initDb, runOk, startServer, stopOk, tempDir } from './lib.js';
import { addUser, signIn, ok } from './users.js';

let server;
let stat;

before(async () => {
	const { db, key } = await initDb({ demo: 0, name: 'targets' });
	const data = path.join(tempDir('ctip-e2e-data'), 'data');
	fs.cpSync(DATA, data, { recursive: true });
	const rates = path.join(data, 'indicators', 'rates.csv');
	const text = fs.readFileSync(rates, 'utf8');
	const edited = text.replace(/^(KPI_RESOLVED,.*?,INT_RESOLVED,INT_RECEIVED,)90,above,/m, '$175,at_least,')
		.replace(/^(KPI_SOLVED,.*?,CASE_INIT_SOLVED,CASE_INITIATED,)90,/m, '$180,');
	assert.notEqual(edited, text);
	fs.writeFileSync(rates, edited);
	await runOk(['ref', 'load', '--db', db, '--data', data]);
	const account = await addUser(db, key, 'targets.stat', { adminCode: '01', roles: ['statistician'] });
	server = await startServer({ db });
	stat = await signIn(server.url, account);
});

after(async () => {
	if (server) await stopOk(server);
});

test('the KPI endpoints take their targets from the loaded catalogue', async () => {
	const q = 'from=2026-01-01&to=2026-12-31';
	const ik = ok(await stat.get(`/api/kpi/intakes?${q}`));
	assert.deepEqual(ik.kpi_resolved, { count: 0, of: 0, rate: null, target: 0.75, comparison: 'at_least',
		status: 'none' });
	assert.deepEqual(ik.kpi_classified, { count: 0, of: 0, rate: null, target: 1, comparison: 'at_least',
		status: 'none' });
	const ck = ok(await stat.get(`/api/kpi/cases?${q}`));
	assert.equal(ck.solved.target, 0.8);
	assert.equal(ck.solved.comparison, 'above');
	assert.equal(ck.indicted.target, 0.95);
});
