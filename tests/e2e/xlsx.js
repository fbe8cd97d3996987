// xlsx.js: read the cells of an XLSX workbook (a Buffer) in the end-to-end
// tests, with node's own modules only: the zip's central directory, then
// node:zlib's inflateRawSync, then the sheet's XML with shared strings
// resolved. Enough for the workbooks ctip writes (libxlsxwriter), not a
// general spreadsheet reader: no ZIP64, no encryption, no formulas' results
// beyond their cached values.
import zlib from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

// Every member of zip buf: Map name -> Buffer (inflated).
export function readZip(buf) {
	if (!Buffer.isBuffer(buf))
		throw new TypeError('readZip: expected a Buffer');
	// The end of central directory record: 22 bytes and a comment of at
	// most 65535 bytes, at the very end.
	let eocd = -1;
	for (let i = buf.length - 22; i >= 0 && i >= buf.length - 22 - 65535; i--)
		if (buf.readUInt32LE(i) === EOCD) {
			eocd = i;
			break;
		}
	if (eocd < 0)
		throw new Error('not a zip file: no end of central directory');
	const entries = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	if (entries === 0xffff || p === 0xffffffff)
		throw new Error('ZIP64 archives are not supported');
	const files = new Map();
	for (let i = 0; i < entries; i++) {
		if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
			throw new Error(`broken zip: central directory entry ${i}`);
		const flags = buf.readUInt16LE(p + 8);
		const method = buf.readUInt16LE(p + 10);
		const crc = buf.readUInt32LE(p + 16);
		const csize = buf.readUInt32LE(p + 20);
		const usize = buf.readUInt32LE(p + 24);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46,
			p + 46 + nameLen);
		p += 46 + nameLen + extraLen + commentLen;
		if (flags & 1)
			throw new Error(`${name}: encrypted zip members are not supported`);
		if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL)
			throw new Error(`broken zip: local header of ${name}`);
		const start = local + 30 + buf.readUInt16LE(local + 26) +
			buf.readUInt16LE(local + 28);
		if (start + csize > buf.length)
			throw new Error(`broken zip: ${name} runs past the end`);
		const raw = buf.subarray(start, start + csize);
		let data;
		if (method === 0)
			data = Buffer.from(raw);
		else if (method === 8)
			data = zlib.inflateRawSync(raw);
		else
			throw new Error(`${name}: compression method ${method} not supported`);
		if (data.length !== usize)
			throw new Error(`${name}: ${data.length} bytes, expected ${usize}`);
		// zlib.crc32 arrived in node 20.15; check when it is there.
		if (typeof zlib.crc32 === 'function' && zlib.crc32(data) !== crc)
			throw new Error(`${name}: CRC mismatch`);
		files.set(name, data);
	}
	return files;
}

// XML text with its entities (named and numeric) replaced.
export function unescapeXml(s) {
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e) => {
		if (e[0] === '#')
			return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16)
				: parseInt(e.slice(1), 10));
		return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e];
	});
}

function attributes(tag) {
	const out = {};
	for (const m of tag.matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g))
		out[m[1]] = unescapeXml(m[2]);
	return out;
}

// The text of the <t> elements of a string item (a shared string or an
// inline one), leaving out phonetic runs (<rPh>).
function itemText(xml) {
	const plain = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
	let text = '';
	for (const m of plain.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g))
		text += unescapeXml(m[1] ?? '');
	return text;
}

function text(files, name) {
	const data = files.get(name);
	return data === undefined ? undefined : data.toString('utf8');
}

function sharedStrings(files) {
	const xml = text(files, 'xl/sharedStrings.xml');
	if (xml === undefined)
		return [];
	return [...xml.matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>|<si\b[^>]*\/>/g)]
		.map((m) => itemText(m[1] ?? ''));
}

// The workbook's sheets in order: [{ name, path }].
function sheets(files) {
	const wb = text(files, 'xl/workbook.xml');
	if (wb === undefined)
		throw new Error('not an XLSX workbook: no xl/workbook.xml');
	const rels = new Map();
	for (const m of (text(files, 'xl/_rels/workbook.xml.rels') ?? '')
		.matchAll(/<Relationship\b[^>]*>/g)) {
		const a = attributes(m[0]);
		rels.set(a.Id, a.Target);
	}
	return [...wb.matchAll(/<sheet\b[^>]*>/g)].map((m, i) => {
		const a = attributes(m[0]);
		let target = rels.get(a['r:id']) ?? `worksheets/sheet${i + 1}.xml`;
		target = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
		return { name: a.name, path: target };
	});
}

// The names of the sheets of XLSX buf, in order.
export function sheetNames(buf) {
	return sheets(readZip(buf)).map((s) => s.name);
}

// Sheet sheet (its number from 1, or its name) of XLSX buf as an object
// cellRef -> value: a number for a number cell, a string for a text cell
// (shared, inline or a formula's string), a boolean for a boolean one;
// '#N/A' and the like for an error. Cells without a value (formatted
// blanks) are left out.
export function readSheet(buf, sheet = 1) {
	const files = readZip(buf);
	const list = sheets(files);
	const found = typeof sheet === 'number' ? list[sheet - 1]
		: list.find((s) => s.name === sheet);
	if (found === undefined)
		throw new Error(`no sheet ${JSON.stringify(sheet)} (there are ${list.length})`);
	const xml = text(files, found.path);
	if (xml === undefined)
		throw new Error(`sheet ${found.name}: ${found.path} is missing`);
	const strings = sharedStrings(files);
	const cells = {};
	for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
		const a = attributes(m[1]);
		const body = m[2] ?? '';
		const v = /<v>([\s\S]*?)<\/v>/.exec(body);
		const type = a.t ?? 'n';
		if (a.r === undefined)
			throw new Error(`sheet ${found.name}: a cell without a reference`);
		if (type === 'inlineStr') {
			const is = /<is>([\s\S]*?)<\/is>/.exec(body);
			if (is)
				cells[a.r] = itemText(is[1]);
			continue;
		}
		if (v === null)
			continue;
		const raw = unescapeXml(v[1]);
		if (type === 's') {
			const s = strings[Number(raw)];
			if (s === undefined)
				throw new Error(`${a.r}: no shared string ${raw}`);
			cells[a.r] = s;
		} else if (type === 'str' || type === 'e') {
			cells[a.r] = raw;
		} else if (type === 'b') {
			cells[a.r] = raw === '1';
		} else {
			cells[a.r] = Number(raw);
		}
	}
	return cells;
}
