// xlsx.test.js: the XLSX reader of the end-to-end tests (xlsx.js), on the
// report workbook ctip wrote (fixtures/report-sample.xlsx, made by
// tests/unit/test_report_export.c with CTIP_XLSX_FIXTURE set) and on small
// zips built here. Needs no ctip binary.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { readSheet, readZip, sheetNames, unescapeXml } from './xlsx.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const sample = fs.readFileSync(path.join(here, 'fixtures/report-sample.xlsx'));

// CRC-32 (IEEE), for the zips built here.
const table = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++)
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(data) {
	let c = 0xffffffff;
	for (const b of data)
		c = table[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

// A zip of files ({ name: text }), deflated unless stored is set.
function zip(files, { stored = false } = {}) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const [name, content] of Object.entries(files)) {
		const data = Buffer.from(content, 'utf8');
		const body = stored ? data : zlib.deflateRawSync(data);
		const fname = Buffer.from(name, 'utf8');
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x800, 6);
		local.writeUInt16LE(stored ? 0 : 8, 8);
		local.writeUInt32LE(crc32(data), 14);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(fname.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x800, 8);
		central.writeUInt16LE(stored ? 0 : 8, 10);
		central.writeUInt32LE(crc32(data), 16);
		central.writeUInt32LE(body.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(fname.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, fname, body);
		centrals.push(central, fname);
		offset += local.length + fname.length + body.length;
	}
	const dir = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(Object.keys(files).length, 8);
	end.writeUInt16LE(Object.keys(files).length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, dir, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
	'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

// A two-sheet workbook whose second sheet is stored under an odd name, to
// show that sheets are found through the relationships.
function handMade(opts) {
	return zip({
		'xl/workbook.xml': `<workbook ${NS}><sheets>` +
			'<sheet name="Một" sheetId="1" r:id="rId1"/>' +
			'<sheet name="Hai &amp; ba" sheetId="2" r:id="rId7"/></sheets></workbook>',
		'xl/_rels/workbook.xml.rels': '<Relationships>' +
			'<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>' +
			'<Relationship Id="rId7" Target="/xl/worksheets/other.xml"/>' +
			'</Relationships>',
		'xl/sharedStrings.xml': '<sst count="3" uniqueCount="3">' +
			'<si><t>&lt;5</t></si>' +
			'<si><r><t xml:space="preserve">Phường </t></r><r><rPr><b/></rPr>' +
			'<t>Ba Đình</t></r><rPh><t>ignored</t></rPh></si>' +
			'<si><t/></si></sst>',
		'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1">` +
			'<c r="A1" t="s"><v>1</v></c><c r="B1" s="3"/>' +
			'<c r="C1"><v>12</v></c><c r="D1" t="n"><v>83.3</v></c>' +
			'<c r="E1" t="s"><v>0</v></c><c r="F1" t="b"><v>1</v></c>' +
			'<c r="G1" t="str"><f>A1</f><v>A &amp; B</v></c>' +
			'<c r="H1" t="inlineStr"><is><t>Nữ &#x1EA0;</t></is></c>' +
			'<c r="I1" t="e"><v>#N/A</v></c><c r="J1" t="s"><v>2</v></c>' +
			'</row></sheetData></worksheet>',
		'xl/worksheets/other.xml': `<worksheet ${NS}><sheetData>` +
			'<row r="2"><c r="B2"><v>-1.5e3</v></c></row></sheetData></worksheet>',
	}, opts);
}

test('the report workbook holds the totals as numbers and small counts as text', () => {
	const cells = readSheet(sample);
	assert.equal(cells.A1, 'PHƯỜNG BA ĐÌNH');
	assert.equal(cells.C1, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
	assert.equal(cells.C2, 'Độc lập - Tự do - Hạnh phúc');
	assert.equal(cells.A5, 'Kỳ báo cáo: 2026-H1 (từ 15/12/2025 đến 14/06/2026)');
	assert.deepEqual([cells.A9, cells.B9, cells.C9, cells.D9, cells.E9],
		['STT', 'Chỉ tiêu', 'Đơn vị tính', 'Số liệu', 'Chỉ tiêu KH / Đánh giá']);
	assert.equal(cells.B12, 'Số tố giác, tin báo được tiếp nhận');
	assert.equal(cells.C12, 'tin');
	assert.equal(cells.D12, 6);
	assert.equal(cells.D13, '<5');
	assert.equal(cells.B15, 'Số người được tiếp nhận');
	assert.equal(cells.D15, 12);
	assert.deepEqual([cells.B17, cells.D17], ['- Nam', 'x']);
	assert.deepEqual([cells.B18, cells.D18], ['- Nữ', 6]);
	assert.deepEqual([cells.B19, cells.D19], ['- Không rõ', '<5']);
	assert.deepEqual([cells.D30, cells.E30], [83.3, '≥ 100%: Chưa đạt']);
	assert.deepEqual([cells.D31, cells.E31], ['—', '> 90%']);
	assert.equal(cells.C35, 'Ngày lập: 15/06/2026');
	assert.equal(cells.B36, 'NGƯỜI LẬP BIỂU');
	assert.equal(cells.C36, 'THỦ TRƯỞNG ĐƠN VỊ');
	assert.equal(cells.B1, undefined, 'a formatted blank has no value');
	// A reader can sum the numbers of a split row.
	assert.equal(cells.D23 + cells.D24, 9);
});

test('the findings are on a second sheet named Kiểm tra', () => {
	assert.deepEqual(sheetNames(sample), ['Báo cáo', 'Kiểm tra']);
	const checks = readSheet(sample, 'Kiểm tra');
	assert.deepEqual(checks, readSheet(sample, 2));
	assert.equal(checks.A1, 'Mã');
	assert.equal(checks.A2, 'IDENTIFIED_LE_RECEIVED');
	assert.equal(checks.B2, 'Cảnh báo');
});

test('every cell type is read, from deflated and from stored zips', () => {
	for (const stored of [false, true]) {
		const buf = handMade({ stored });
		assert.deepEqual(readSheet(buf), {
			A1: 'Phường Ba Đình', C1: 12, D1: 83.3, E1: '<5', F1: true,
			G1: 'A & B', H1: 'Nữ Ạ', I1: '#N/A', J1: '',
		});
		assert.deepEqual(sheetNames(buf), ['Một', 'Hai & ba']);
		assert.deepEqual(readSheet(buf, 2), { B2: -1500 });
		assert.deepEqual(readSheet(buf, 'Hai & ba'), { B2: -1500 });
	}
});

test('the zip members come out whole', () => {
	const files = readZip(sample);
	assert.ok(files.has('[Content_Types].xml'));
	assert.ok(files.get('xl/worksheets/sheet1.xml').toString().startsWith('<?xml'));
	assert.equal(unescapeXml('&lt;5 &amp; &#65;&#x42;'), '<5 & AB');
});

test('what is not a workbook is refused with a reason', () => {
	assert.throws(() => readSheet(Buffer.from('not a zip at all, just text')),
		/not a zip file/);
	assert.throws(() => readSheet(zip({ 'a.txt': 'x' })), /no xl\/workbook.xml/);
	assert.throws(() => readSheet(sample, 3), /no sheet 3 \(there are 2\)/);
	assert.throws(() => readSheet(sample, 'Report'), /no sheet "Report"/);
	const broken = Buffer.from(sample);
	broken.writeUInt32LE(0, 0); // the first local header
	assert.throws(() => readZip(broken), /broken zip: local header/);
	assert.throws(() => readZip('PK'), TypeError);
});
