// The floor: JSON.parse of every record of the flat NDJSON file, already in memory; nothing else.
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2] ?? '', 'utf8').split('\n').filter((line) => line.length > 0);
let bytes = 0;
for (const line of lines) bytes += Buffer.byteLength(line) + 1;
let keep = 0;
const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
for (const line of lines) keep += (JSON.parse(line) as object) ? 1 : 0;
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ records: keep, bytes, ms, cpuMs: (user + system) / 1000 }));
